using System.Globalization;
using k8s.Models;
using OtelLab.Sim.Relabeling;
using OtelLab.Sim.TargetAllocation.Discovery.Internal;

namespace OtelLab.Sim.TargetAllocation.Discovery;

/// <summary>
/// Prometheus' kubernetes service discovery over listed objects: one target group per object, with upstream's
/// <c>__meta_kubernetes_*</c> labels and group sources. upstream (prometheus/prometheus discovery/kubernetes/):
/// pod.go buildPod, endpoints.go buildEndpoints, endpointslice.go buildEndpointSlice, service.go buildService,
/// node.go buildNode.
/// </summary>
public static class KubernetesDiscovery
{
    private const string P = MetaLabels.Prefix;

    /// <summary>The target groups of <paramref name="role"/> for <paramref name="job"/>.</summary>
    public static IReadOnlyList<TargetGroup> Discover(string job, string role, KubernetesObjects objects)
    {
        ArgumentNullException.ThrowIfNull(objects);
        return role switch
        {
            "pod" => [.. objects.Pods.Select(p => Pod(job, p))],
            "endpoints" => [.. objects.Endpoints.Select(e => Endpoints(job, e, objects))],
            "endpointslice" => [.. objects.EndpointSlices.Select(e => EndpointSlice(job, e, objects))],
            "service" => [.. objects.Services.Select(s => Service(job, s))],
            "node" => [.. objects.Nodes.Select(n => Node(job, n))],
            _ => throw new ArgumentException($"unknown Kubernetes SD role \"{role}\"", nameof(role)),
        };
    }

    /// <summary>upstream pod.go buildPod: one target per container port (a portless container gives the bare pod IP).</summary>
    public static TargetGroup Pod(string job, V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var ns = pod.Metadata.NamespaceProperty;
        var source = $"pod/{ns}/{pod.Metadata.Name}";
        var podIp = pod.Status?.PodIP;
        if (string.IsNullOrEmpty(podIp))
        {
            return new TargetGroup(job, [], null, source);
        }

        var groupLabels = PodLabels(pod).Meta("namespace", ns).Build();
        var targets = new List<LabelSet>();
        foreach (var (container, isInit) in Containers(pod))
        {
            if (container.Ports is not { Count: > 0 })
            {
                targets.Add(new MetaLabels().Set(Label.Address, podIp).Meta("pod_container_name", container.Name)
                    .Meta("pod_container_image", container.Image).Meta("pod_container_init", isInit ? "true" : "false").Build());
                continue;
            }

            foreach (var port in container.Ports)
            {
                targets.Add(ContainerPortLabels(container, port, isInit).Set(Label.Address, JoinHostPort(podIp, port.ContainerPort)).Build());
            }
        }

        return new TargetGroup(job, targets, groupLabels, source);
    }

    /// <summary>
    /// upstream endpoints.go buildEndpoints: a target per subset address × port (ready and not-ready addresses), with the
    /// service's and the target pod's labels; container ports of seen pods that no endpoint port covered get a target too.
    /// </summary>
    public static TargetGroup Endpoints(string job, V1Endpoints endpoints, KubernetesObjects objects)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(objects);
        var ns = endpoints.Metadata.NamespaceProperty;
        var name = endpoints.Metadata.Name;
        var group = new MetaLabels().Meta("namespace", ns).Meta("endpoints_name", name)
            .ObjectMeta("endpoints", endpoints.Metadata.Labels, endpoints.Metadata.Annotations);
        AddService(group, objects.Service(ns, name));
        var targets = new List<LabelSet>();
        var seenPods = new Dictionary<string, (V1Pod Pod, HashSet<int> Ports)>(StringComparer.Ordinal);
        foreach (var subset in endpoints.Subsets ?? [])
        {
            foreach (var port in subset.Ports ?? [])
            {
                foreach (var (address, ready) in (subset.Addresses ?? []).Select(a => (a, "true")).Concat((subset.NotReadyAddresses ?? []).Select(a => (a, "false"))))
                {
                    var labels = new MetaLabels().Set(Label.Address, JoinHostPort(address.Ip, port.Port))
                        .Meta("endpoint_port_name", port.Name ?? string.Empty).Meta("endpoint_port_protocol", port.Protocol ?? "TCP")
                        .Meta("endpoint_ready", ready);
                    if (!string.IsNullOrEmpty(address.NodeName))
                    {
                        labels.Meta("endpoint_node_name", address.NodeName);
                    }

                    if (!string.IsNullOrEmpty(address.Hostname))
                    {
                        labels.Meta("endpoint_hostname", address.Hostname);
                    }

                    if (address.TargetRef is { } targetRef)
                    {
                        labels.Meta("endpoint_address_target_kind", targetRef.Kind).Meta("endpoint_address_target_name", targetRef.Name);
                        if (targetRef.Kind == "Pod" && objects.Pod(targetRef.NamespaceProperty ?? ns, targetRef.Name) is { } pod)
                        {
                            AddPodTargetLabels(labels, pod, port.Port);
                            var seen = seenPods.TryGetValue(pod.Metadata.Name, out var s) ? s : seenPods[pod.Metadata.Name] = (pod, []);
                            seen.Ports.Add(port.Port);
                        }
                    }

                    targets.Add(labels.Build());
                }
            }
        }

        targets.AddRange(UncoveredContainerPorts(seenPods.Values));
        return new TargetGroup(job, targets, group.Build(), $"endpoints/{ns}/{name}");
    }

    /// <summary>upstream endpointslice.go buildEndpointSlice (discovery.k8s.io/v1 labels).</summary>
    public static TargetGroup EndpointSlice(string job, V1EndpointSlice slice, KubernetesObjects objects)
    {
        ArgumentNullException.ThrowIfNull(slice);
        ArgumentNullException.ThrowIfNull(objects);
        var ns = slice.Metadata.NamespaceProperty;
        var group = new MetaLabels().Meta("namespace", ns).Meta("endpointslice_name", slice.Metadata.Name)
            .Meta("endpointslice_address_type", slice.AddressType)
            .ObjectMeta("endpointslice", slice.Metadata.Labels, slice.Metadata.Annotations);
        if (slice.Metadata.Labels?.TryGetValue("kubernetes.io/service-name", out var serviceName) == true)
        {
            AddService(group, objects.Service(ns, serviceName));
        }

        var targets = new List<LabelSet>();
        var seenPods = new Dictionary<string, (V1Pod Pod, HashSet<int> Ports)>(StringComparer.Ordinal);
        foreach (var port in slice.Ports ?? [])
        {
            foreach (var endpoint in slice.Endpoints ?? [])
            {
                foreach (var address in endpoint.Addresses ?? [])
                {
                    var labels = new MetaLabels().Set(Label.Address, JoinHostPort(address, port.Port ?? 0))
                        .Meta("endpointslice_port", (port.Port ?? 0).ToString(CultureInfo.InvariantCulture))
                        .Meta("endpointslice_port_name", port.Name ?? string.Empty)
                        .Meta("endpointslice_port_protocol", port.Protocol ?? "TCP");
                    if (port.AppProtocol is { } appProtocol)
                    {
                        labels.Meta("endpointslice_port_app_protocol", appProtocol);
                    }

                    if (endpoint.Conditions?.Ready is { } r)
                    {
                        labels.Meta("endpointslice_endpoint_conditions_ready", Bool(r));
                    }

                    if (endpoint.Conditions?.Serving is { } s)
                    {
                        labels.Meta("endpointslice_endpoint_conditions_serving", Bool(s));
                    }

                    if (endpoint.Conditions?.Terminating is { } t)
                    {
                        labels.Meta("endpointslice_endpoint_conditions_terminating", Bool(t));
                    }

                    labels.Meta("endpointslice_endpoint_hostname", NullIfEmpty(endpoint.Hostname))
                        .Meta("endpointslice_endpoint_node_name", NullIfEmpty(endpoint.NodeName))
                        .Meta("endpointslice_endpoint_zone", NullIfEmpty(endpoint.Zone));
                    if (endpoint.TargetRef is { } targetRef)
                    {
                        labels.Meta("endpointslice_address_target_kind", targetRef.Kind).Meta("endpointslice_address_target_name", targetRef.Name);
                        if (targetRef.Kind == "Pod" && objects.Pod(targetRef.NamespaceProperty ?? ns, targetRef.Name) is { } pod)
                        {
                            AddPodTargetLabels(labels, pod, port.Port ?? 0);
                            var seen = seenPods.TryGetValue(pod.Metadata.Name, out var sp) ? sp : seenPods[pod.Metadata.Name] = (pod, []);
                            seen.Ports.Add(port.Port ?? 0);
                        }
                    }

                    targets.Add(labels.Build());
                }
            }
        }

        targets.AddRange(UncoveredContainerPorts(seenPods.Values));
        return new TargetGroup(job, targets, group.Build(), $"endpointslice/{ns}/{slice.Metadata.Name}");
    }

    /// <summary>upstream service.go buildService: a target per service port at <c>name.ns.svc:port</c>.</summary>
    public static TargetGroup Service(string job, V1Service service)
    {
        ArgumentNullException.ThrowIfNull(service);
        var ns = service.Metadata.NamespaceProperty;
        var group = new MetaLabels().Meta("namespace", ns);
        AddService(group, service);
        var targets = new List<LabelSet>();
        foreach (var port in service.Spec?.Ports ?? [])
        {
            var labels = new MetaLabels().Set(Label.Address, $"{service.Metadata.Name}.{ns}.svc:{port.Port.ToString(CultureInfo.InvariantCulture)}")
                .Meta("service_port_name", port.Name ?? string.Empty)
                .Meta("service_port_number", port.Port.ToString(CultureInfo.InvariantCulture))
                .Meta("service_port_protocol", port.Protocol ?? "TCP")
                .Meta("service_type", service.Spec?.Type ?? "ClusterIP");
            if (service.Spec?.Type == "ExternalName")
            {
                labels.Meta("service_external_name", service.Spec.ExternalName);
            }
            else
            {
                labels.Meta("service_cluster_ip", service.Spec?.ClusterIP ?? string.Empty);
            }

            targets.Add(labels.Build());
        }

        return new TargetGroup(job, targets, group.Build(), $"svc/{ns}/{service.Metadata.Name}");
    }

    /// <summary>upstream node.go buildNode: the node's first address (InternalIP preferred) at the kubelet port, <c>instance</c> = node name.</summary>
    public static TargetGroup Node(string job, V1Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var name = node.Metadata.Name;
        var group = new MetaLabels().Meta("node_name", name).Meta("node_provider_id", node.Spec?.ProviderID ?? string.Empty)
            .ObjectMeta("node", node.Metadata.Labels, node.Metadata.Annotations).Build();
        var addresses = node.Status?.Addresses ?? [];
        var address = addresses.FirstOrDefault(a => a.Type == "InternalIP") ?? addresses.FirstOrDefault(a => a.Type == "ExternalIP")
            ?? addresses.FirstOrDefault();
        if (address is null)
        {
            return new TargetGroup(job, [], group, $"node/{name}");
        }

        var port = node.Status?.DaemonEndpoints?.KubeletEndpoint?.Port ?? 10250;
        var labels = new MetaLabels().Set(Label.Address, JoinHostPort(address.Address, port)).Set("instance", name);
        foreach (var a in addresses.GroupBy(a => a.Type))
        {
            labels.Meta("node_address_" + a.Key, a.First().Address);
        }

        return new TargetGroup(job, [labels.Build()], group, $"node/{name}");
    }

    private static MetaLabels PodLabels(V1Pod pod)
    {
        var labels = new MetaLabels().Meta("pod_name", pod.Metadata.Name).Meta("pod_ip", pod.Status?.PodIP ?? string.Empty)
            .Meta("pod_ready", PodReady(pod)).Meta("pod_phase", pod.Status?.Phase ?? string.Empty)
            .Meta("pod_node_name", pod.Spec?.NodeName ?? string.Empty).Meta("pod_host_ip", pod.Status?.HostIP ?? string.Empty)
            .Meta("pod_uid", pod.Metadata.Uid ?? string.Empty)
            .ObjectMeta("pod", pod.Metadata.Labels, pod.Metadata.Annotations);
        if (pod.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true) is { } owner)
        {
            labels.Meta("pod_controller_kind", owner.Kind).Meta("pod_controller_name", owner.Name);
        }

        return labels;
    }

    // upstream endpoints.go: pod labels plus the labels of the container whose port matches the endpoint port.
    private static void AddPodTargetLabels(MetaLabels labels, V1Pod pod, int port)
    {
        labels.Merge(PodLabels(pod).Build());
        foreach (var (container, isInit) in Containers(pod))
        {
            if (container.Ports?.FirstOrDefault(p => p.ContainerPort == port) is { } match)
            {
                labels.Merge(ContainerPortLabels(container, match, isInit).Build());
                return;
            }
        }
    }

    private static IEnumerable<LabelSet> UncoveredContainerPorts(IEnumerable<(V1Pod Pod, HashSet<int> Ports)> seenPods)
    {
        foreach (var (pod, ports) in seenPods)
        {
            foreach (var container in pod.Spec?.Containers ?? [])
            {
                foreach (var port in container.Ports ?? [])
                {
                    if (ports.Contains(port.ContainerPort))
                    {
                        continue;
                    }

                    yield return ContainerPortLabels(container, port, isInit: false)
                        .Set(Label.Address, JoinHostPort(pod.Status?.PodIP ?? string.Empty, port.ContainerPort))
                        .Merge(PodLabels(pod).Build()).Build();
                }
            }
        }
    }

    private static MetaLabels ContainerPortLabels(V1Container container, V1ContainerPort port, bool isInit) => new MetaLabels()
        .Meta("pod_container_name", container.Name).Meta("pod_container_image", container.Image)
        .Meta("pod_container_port_name", port.Name ?? string.Empty)
        .Meta("pod_container_port_number", port.ContainerPort.ToString(CultureInfo.InvariantCulture))
        .Meta("pod_container_port_protocol", port.Protocol ?? "TCP")
        .Meta("pod_container_init", isInit ? "true" : "false");

    private static void AddService(MetaLabels labels, V1Service? service)
    {
        if (service is null)
        {
            return;
        }

        labels.Meta("service_name", service.Metadata.Name).ObjectMeta("service", service.Metadata.Labels, service.Metadata.Annotations);
    }

    private static IEnumerable<(V1Container Container, bool IsInit)> Containers(V1Pod pod) =>
        (pod.Spec?.InitContainers ?? []).Select(c => (c, true)).Concat((pod.Spec?.Containers ?? []).Select(c => (c, false)));

    // upstream pod.go podReady: the Ready condition's status lower-cased, "unknown" without one.
    private static string PodReady(V1Pod pod) =>
        pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready")?.Status.ToLowerInvariant() ?? "unknown";

    private static string Bool(bool value) => value ? "true" : "false";

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string JoinHostPort(string host, int port) =>
        host.Contains(':', StringComparison.Ordinal) ? $"[{host}]:{port.ToString(CultureInfo.InvariantCulture)}" : $"{host}:{port.ToString(CultureInfo.InvariantCulture)}";
}
