using k8s.Models;

namespace OtelLab.Sim.Cluster.Internal.Controllers;

/// <summary>
/// Binds pods to nodes (least pods first, then node order; <c>nodeSelector</c> honoured) and gives each bound pod
/// its addresses: <c>status.hostIP</c> the node's, <c>status.podIP</c> a fresh pod address (the node's with
/// hostNetwork). In a real cluster the CNI assigns the pod IP when the kubelet creates the sandbox; doing it at
/// binding is the same observable result.
/// </summary>
internal sealed class Scheduler : IClusterController
{
    public string Name => "default-scheduler";

    public void Reconcile(SimulatedCluster cluster, IReadOnlyList<WatchEvent> changes)
    {
        var podKind = ResourceKind.Of("Pod");
        var todo = changes
            .Where(e => e.Kind == podKind && e.Type == WatchEventType.Added)
            .Select(e => cluster.Store.Get(podKind, e.Namespace, e.Name))
            .Where(o => o is not null && string.IsNullOrEmpty(((V1Pod)o.Value).Status?.PodIP))
            .Select(o => o!)
            .ToList();
        if (todo.Count == 0)
        {
            return;
        }

        var nodes = cluster.Store.List(ResourceKind.Of("Node")).OrderBy(n => n.Name, StringComparer.Ordinal).ToList();
        var load = nodes.ToDictionary(n => n.Name, _ => 0, StringComparer.Ordinal);
        foreach (var p in cluster.Store.List(podKind))
        {
            if (((V1Pod)p.Value).Spec?.NodeName is { } n && load.ContainsKey(n))
            {
                load[n]++;
            }
        }

        foreach (var stored in todo)
        {
            var pod = ObjectModel.Clone((V1Pod)stored.Value);
            var nodeName = pod.Spec.NodeName;
            if (string.IsNullOrEmpty(nodeName))
            {
                var eligible = nodes.Where(n => Fits(pod, (V1Node)n.Value)).ToList();
                if (eligible.Count == 0)
                {
                    cluster.Recorder.Warning(stored, "FailedScheduling",
                        $"0/{nodes.Count} nodes are available: {nodes.Count} node(s) didn't match Pod's node affinity/selector.", Name);
                    continue;
                }

                nodeName = eligible.OrderBy(n => load[n.Name]).ThenBy(n => n.Name, StringComparer.Ordinal).First().Name;
                load[nodeName]++;
            }

            var hostIp = cluster.NodeAddress(nodeName)?.ToString();
            if (hostIp is null)
            {
                continue;
            }

            var podIp = pod.Spec.HostNetwork == true ? hostIp : cluster.Addresses.AllocatePod().ToString();
            pod.Spec.NodeName = nodeName;
            pod.Status ??= new V1PodStatus();
            pod.Status.Phase = "Pending";
            pod.Status.HostIP = hostIp;
            pod.Status.HostIPs = [new V1HostIP { Ip = hostIp }];
            pod.Status.PodIP = podIp;
            pod.Status.PodIPs = [new V1PodIP { Ip = podIp }];
            pod.Status.Conditions = [new V1PodCondition { Type = "PodScheduled", Status = "True", LastTransitionTime = cluster.Time.GetUtcNow().UtcDateTime }];
            var updated = cluster.UpdateLocked(podKind, pod, null, admit: false, handOver: true);
            cluster.Recorder.Normal(updated, "Scheduled", $"Successfully assigned {stored.Namespace}/{stored.Name} to {nodeName}", Name);
        }
    }

    private static bool Fits(V1Pod pod, V1Node node) =>
        pod.Spec.NodeSelector is null || pod.Spec.NodeSelector.All(kv => node.Metadata.Labels?.TryGetValue(kv.Key, out var v) == true && v == kv.Value);
}
