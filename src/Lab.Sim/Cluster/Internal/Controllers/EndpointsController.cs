using k8s.Models;

namespace OtelLab.Sim.Cluster.Internal.Controllers;

/// <summary>
/// Endpoints (and one EndpointSlice) per Service with a selector: the pods in the Service's namespace matching the
/// selector and having an IP; Ready pods under <c>addresses</c>, the others under <c>notReadyAddresses</c>
/// (all ready with <c>publishNotReadyAddresses</c>). Named target ports resolve per pod through its container
/// ports. Addresses carry <c>nodeName</c> (kube-proxy's <c>internalTrafficPolicy: Local</c> uses it) and, for pods
/// whose subdomain is the Service, <c>hostname</c> (pod DNS records of headless Services).
/// upstream: kubernetes pkg/controller/endpoint/endpoints_controller.go; endpointslice controller (one slice here,
/// upstream splits at 100 endpoints).
/// </summary>
internal sealed class EndpointsController : IClusterController
{
    // What was last written per Service: skip rewriting identical endpoints (a pod's status changes often).
    private readonly Dictionary<string, string> _written = new(StringComparer.Ordinal);

    public string Name => "endpoint-controller";

    public void Reconcile(SimulatedCluster cluster, IReadOnlyList<WatchEvent> changes)
    {
        var svcKind = ResourceKind.Of("Service");
        var dirty = new HashSet<(string? Ns, string Name)>();
        foreach (var e in changes)
        {
            if (e.Kind == svcKind)
            {
                if (e.Type == WatchEventType.Deleted)
                {
                    _written.Remove($"{e.Namespace}/{e.Name}");
                    cluster.DeleteLocked(ResourceKind.Of("Endpoints"), e.Namespace, e.Name);
                    cluster.DeleteLocked(ResourceKind.Of("EndpointSlice"), e.Namespace, SliceName(e.Name));
                }
                else
                {
                    dirty.Add((e.Namespace, e.Name));
                }
            }
            else if (e.Kind.Kind == "Pod")
            {
                foreach (var svc in cluster.Store.List(svcKind, e.Namespace))
                {
                    var selector = ((V1Service)svc.Value).Spec?.Selector;
                    if (selector is { Count: > 0 } && (Selects(selector, e.Object) || (e.Previous is not null && Selects(selector, e.Previous))))
                    {
                        dirty.Add((svc.Namespace, svc.Name));
                    }
                }
            }
        }

        foreach (var (ns, name) in dirty)
        {
            if (cluster.Store.Get(svcKind, ns, name) is { } svc && ((V1Service)svc.Value).Spec?.Selector is { Count: > 0 })
            {
                Sync(cluster, svc);
            }
        }
    }

    internal static string SliceName(string service) => $"{service}-lab";

    private static bool Selects(IDictionary<string, string> selector, object pod) =>
        ObjectModel.MetadataOf(pod)?.Labels is { } labels && selector.All(kv => labels.TryGetValue(kv.Key, out var v) && v == kv.Value);

    private void Sync(SimulatedCluster cluster, StoredObject stored)
    {
        var svc = (V1Service)stored.Value;
        var publishNotReady = svc.Spec.PublishNotReadyAddresses == true;
        var pods = cluster.Store.List(ResourceKind.Of("Pod"), stored.Namespace)
            .Select(p => (V1Pod)p.Value)
            .Where(p => !string.IsNullOrEmpty(p.Status?.PodIP) && Selects(svc.Spec.Selector, p) && p.Metadata.DeletionTimestamp is null)
            .OrderBy(p => p.Status.PodIP, StringComparer.Ordinal)
            .ToList();

        var resolved = pods.Select(p => (Pod: p, Ready: publishNotReady || ObjectModel.IsPodReady(p),
            Ports: (svc.Spec.Ports ?? []).Select(port => Resolve(port, p)).Where(port => port is not null).Select(port => port!).ToList())).ToList();
        var signature = Signature(svc, resolved);
        var key = $"{stored.Namespace}/{stored.Name}";
        if (_written.TryGetValue(key, out var last) && last == signature &&
            cluster.Store.Get(ResourceKind.Of("Endpoints"), stored.Namespace, stored.Name) is not null)
        {
            return;
        }

        _written[key] = signature;
        var subsets = new Dictionary<string, (List<Corev1EndpointPort> Ports, List<V1EndpointAddress> Ready, List<V1EndpointAddress> NotReady)>(StringComparer.Ordinal);
        var sliceEndpoints = new List<V1Endpoint>();
        List<Discoveryv1EndpointPort>? slicePorts = null;
        foreach (var (pod, ready, ports) in resolved)
        {
            var portKey = string.Join(",", ports.Select(p => $"{p.Name}:{p.Port}"));
            if (!subsets.TryGetValue(portKey, out var subset))
            {
                subset = (ports, [], []);
                subsets[portKey] = subset;
            }

            var address = new V1EndpointAddress
            {
                Ip = pod.Status.PodIP,
                NodeName = pod.Spec.NodeName,
                Hostname = pod.Spec.Subdomain == svc.Metadata.Name ? pod.Spec.Hostname : null,
                TargetRef = new V1ObjectReference { Kind = "Pod", Name = pod.Metadata.Name, NamespaceProperty = pod.Metadata.NamespaceProperty, Uid = pod.Metadata.Uid },
            };
            (ready ? subset.Ready : subset.NotReady).Add(address);
            slicePorts ??= ports.Select(p => new Discoveryv1EndpointPort { Name = p.Name, Port = p.Port, Protocol = p.Protocol, AppProtocol = p.AppProtocol }).ToList();
            sliceEndpoints.Add(new V1Endpoint
            {
                Addresses = [pod.Status.PodIP],
                Conditions = new V1EndpointConditions { Ready = ready, Serving = ready, Terminating = false },
                NodeName = pod.Spec.NodeName,
                Hostname = address.Hostname,
                TargetRef = address.TargetRef,
            });
        }

        var labels = new Dictionary<string, string>(svc.Metadata.Labels ?? new Dictionary<string, string>());
        if (svc.Spec.ClusterIP == "None")
        {
            labels["service.kubernetes.io/headless"] = string.Empty;
        }

        var endpoints = new V1Endpoints
        {
            Metadata = new V1ObjectMeta { Name = stored.Name, NamespaceProperty = stored.Namespace, Labels = labels },
            Subsets = subsets.Count == 0 ? null : subsets.Values.Select(s => new V1EndpointSubset
            {
                Ports = s.Ports,
                Addresses = s.Ready.Count == 0 ? null : s.Ready,
                NotReadyAddresses = s.NotReady.Count == 0 ? null : s.NotReady,
            }).ToList(),
        };
        Write(cluster, ResourceKind.Of("Endpoints"), endpoints);

        var sliceLabels = new Dictionary<string, string>(labels)
        {
            ["kubernetes.io/service-name"] = stored.Name,
            ["endpointslice.kubernetes.io/managed-by"] = "endpointslice-controller.k8s.io",
        };
        var slice = new V1EndpointSlice
        {
            Metadata = new V1ObjectMeta
            {
                Name = SliceName(stored.Name),
                NamespaceProperty = stored.Namespace,
                Labels = sliceLabels,
                OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "Service", Name = stored.Name, Uid = stored.Metadata.Uid, Controller = true, BlockOwnerDeletion = true }],
            },
            AddressType = "IPv4",
            Endpoints = sliceEndpoints,
            Ports = slicePorts ?? (svc.Spec.Ports ?? []).Select(p => new Discoveryv1EndpointPort { Name = p.Name, Port = p.Port, Protocol = p.Protocol }).ToList(),
        };
        Write(cluster, ResourceKind.Of("EndpointSlice"), slice);
    }

    private static void Write<T>(SimulatedCluster cluster, ResourceKind kind, T desired)
        where T : class, IMetadata<V1ObjectMeta>
    {
        var existing = cluster.Store.Get(kind, desired.Metadata.NamespaceProperty, desired.Metadata.Name);
        if (existing is null)
        {
            cluster.CreateLocked(kind, desired, null, handOver: true);
        }
        else
        {
            cluster.UpdateLocked(kind, desired, null, admit: false, handOver: true);
        }
    }

    private static string Signature(V1Service svc, List<(V1Pod Pod, bool Ready, List<Corev1EndpointPort> Ports)> resolved)
    {
        var sb = new System.Text.StringBuilder();
        foreach (var (k, v) in (svc.Metadata.Labels ?? new Dictionary<string, string>()).OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            sb.Append(k).Append('=').Append(v).Append(';');
        }

        sb.Append(svc.Spec.ClusterIP).Append('|').Append(svc.Metadata.Uid).Append('|');
        foreach (var (pod, ready, ports) in resolved)
        {
            sb.Append(pod.Status.PodIP).Append(',').Append(ready ? '1' : '0').Append(',').Append(pod.Spec.NodeName).Append(',')
              .Append(pod.Spec.Subdomain).Append(',').Append(pod.Spec.Hostname).Append(',').Append(pod.Metadata.Uid);
            foreach (var p in ports)
            {
                sb.Append(',').Append(p.Name).Append(':').Append(p.Port).Append('/').Append(p.AppProtocol);
            }

            sb.Append(';');
        }

        return sb.ToString();
    }

    private static Corev1EndpointPort? Resolve(V1ServicePort port, V1Pod pod)
    {
        var target = port.TargetPort?.Value;
        int number;
        if (string.IsNullOrEmpty(target))
        {
            number = port.Port;
        }
        else if (int.TryParse(target, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n))
        {
            number = n;
        }
        else
        {
            var found = pod.Spec.Containers?.SelectMany(c => c.Ports ?? []).FirstOrDefault(p => p.Name == target);
            if (found is null)
            {
                return null;
            }

            number = found.ContainerPort;
        }

        return new Corev1EndpointPort { Name = port.Name, Port = number, Protocol = port.Protocol ?? "TCP", AppProtocol = port.AppProtocol };
    }
}
