using k8s;
using k8s.Models;

namespace OtelLab.Sim.Cluster.Internal.Controllers;

/// <summary>Pods from a workload's template, as the workload controllers build them (<c>controller.GetPodFromTemplate</c>).</summary>
internal static class PodTemplates
{
    public static V1Pod NewPod(V1PodTemplateSpec template, StoredObject owner, string? name, string? generateName, IDictionary<string, string>? extraLabels = null)
    {
        var copy = KubernetesJson.Deserialize<V1PodTemplateSpec>(KubernetesJson.Serialize(template));
        var labels = new Dictionary<string, string>(copy.Metadata?.Labels ?? new Dictionary<string, string>());
        foreach (var (k, v) in extraLabels ?? new Dictionary<string, string>())
        {
            labels[k] = v;
        }

        return new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                GenerateName = generateName,
                NamespaceProperty = owner.Namespace,
                Labels = labels,
                Annotations = copy.Metadata?.Annotations is null ? null : new Dictionary<string, string>(copy.Metadata.Annotations),
                OwnerReferences = [Triggers.OwnerReference(owner)],
            },
            Spec = copy.Spec,
        };
    }

    /// <summary>
    /// Creates a pod for a workload and records the controller's event: <paramref name="created"/>(pod name) on
    /// success, <paramref name="failed"/>(server message) as a FailedCreate warning when the API server refuses.
    /// </summary>
    public static StoredObject? TryCreatePod(SimulatedCluster cluster, StoredObject owner, V1Pod pod, string component, Func<string, string> created, Func<string, string> failed)
    {
        try
        {
            var stored = cluster.CreateLocked(ResourceKind.Of("Pod"), pod, null, handOver: true);
            cluster.Recorder.Normal(owner, "SuccessfulCreate", created(stored.Name), component);
            return stored;
        }
        catch (ClusterApiException e)
        {
            cluster.Recorder.Warning(owner, "FailedCreate", failed(e.Message), component);
            return null;
        }
    }

    /// <summary>Writes a workload's status through the status subresource when it differs from the stored one.</summary>
    public static void WriteStatus<T>(SimulatedCluster cluster, StoredObject stored, object? current, object status, Action<T, object> set)
        where T : class
    {
        if (SameJson(status, current))
        {
            return;
        }

        var copy = ObjectModel.Clone((T)stored.Value);
        set(copy, status);
        cluster.UpdateLocked(stored.Kind, copy, null, admit: false, handOver: true);
    }

    public static bool SameJson(object? a, object? b) => (a is null && b is null) || (a is not null && b is not null && KubernetesJson.Serialize(a) == KubernetesJson.Serialize(b));

    /// <summary>Pods to remove first when scaling down: unscheduled, then not ready, then the newest (upstream ActivePods ordering, simplified).</summary>
    public static IEnumerable<StoredObject> DeletionOrder(IEnumerable<StoredObject> pods) =>
        pods.OrderBy(p => string.IsNullOrEmpty(((V1Pod)p.Value).Spec?.NodeName) ? 0 : 1)
            .ThenBy(p => ObjectModel.IsPodReady((V1Pod)p.Value) ? 1 : 0)
            .ThenByDescending(p => p.Metadata.CreationTimestamp)
            .ThenByDescending(p => p.Name, StringComparer.Ordinal);
}
