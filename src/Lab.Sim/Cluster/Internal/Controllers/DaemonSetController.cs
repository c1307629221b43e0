using k8s;
using k8s.Models;

namespace OtelLab.Sim.Cluster.Internal.Controllers;

/// <summary>
/// One pod per eligible node (template <c>nodeSelector</c>), named <c>&lt;ds&gt;-&lt;5 chars&gt;</c> and pinned to its
/// node; pods on nodes that are gone or no longer eligible are removed.
/// upstream: kubernetes pkg/controller/daemon/daemon_controller.go (manage; events "Created pod: %v", "Error creating: %v").
/// </summary>
internal sealed class DaemonSetController : IClusterController
{
    public string Name => "daemonset-controller";

    public void Reconcile(SimulatedCluster cluster, IReadOnlyList<WatchEvent> changes)
    {
        foreach (var stored in Triggers.OwnersToSync(cluster, changes, "DaemonSet", "Pod", onNodes: true))
        {
            Sync(cluster, stored);
        }
    }

    private void Sync(SimulatedCluster cluster, StoredObject stored)
    {
        var ds = (V1DaemonSet)stored.Value;
        var podKind = ResourceKind.Of("Pod");
        var selector = ds.Spec.Template.Spec?.NodeSelector;
        var nodes = cluster.Store.List(ResourceKind.Of("Node"))
            .Where(n => selector is null || selector.All(kv => n.Metadata.Labels?.TryGetValue(kv.Key, out var v) == true && v == kv.Value))
            .Select(n => n.Name)
            .Order(StringComparer.Ordinal)
            .ToList();
        var revision = NameGenerator.TemplateHash(KubernetesJson.Serialize(ds.Spec.Template));
        var pods = Triggers.Controlled(cluster, stored, "Pod");
        var byNode = pods.GroupBy(p => ((V1Pod)p.Value).Spec?.NodeName ?? string.Empty).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);

        foreach (var node in nodes.Where(n => !byNode.ContainsKey(n)))
        {
            var pod = PodTemplates.NewPod(ds.Spec.Template, stored, null, $"{stored.Name}-", new Dictionary<string, string>
            {
                ["controller-revision-hash"] = revision,
                ["pod-template-generation"] = (stored.Metadata.Generation ?? 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
            pod.Spec.NodeName = node;
            if (PodTemplates.TryCreatePod(cluster, stored, pod, Name, n => $"Created pod: {n}", m => $"Error creating: {m}") is null)
            {
                break;
            }
        }

        foreach (var (node, list) in byNode)
        {
            var extra = nodes.Contains(node) ? list.OrderBy(p => p.Metadata.CreationTimestamp).Skip(1) : list;
            foreach (var pod in extra.ToList())
            {
                cluster.DeleteLocked(podKind, pod.Namespace, pod.Name);
                cluster.Recorder.Normal(stored, "SuccessfulDelete", $"Deleted pod: {pod.Name}", Name);
            }
        }

        var now = Triggers.Controlled(cluster, stored, "Pod").Select(p => (V1Pod)p.Value).ToList();
        var ready = now.Count(ObjectModel.IsPodReady);
        var status = new V1DaemonSetStatus
        {
            DesiredNumberScheduled = nodes.Count,
            CurrentNumberScheduled = now.Count,
            UpdatedNumberScheduled = now.Count,
            NumberReady = ready,
            NumberAvailable = ready,
            NumberUnavailable = nodes.Count - ready,
            NumberMisscheduled = 0,
            ObservedGeneration = stored.Metadata.Generation,
        };
        PodTemplates.WriteStatus<V1DaemonSet>(cluster, stored, ds.Status, status, (o, s) => o.Status = (V1DaemonSetStatus)s);
    }
}
