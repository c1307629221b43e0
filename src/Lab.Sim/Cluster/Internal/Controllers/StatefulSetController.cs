using System.Globalization;
using k8s;
using k8s.Models;

namespace OtelLab.Sim.Cluster.Internal.Controllers;

/// <summary>
/// StatefulSet pods with stable ordinal names <c>&lt;sts&gt;-0 … &lt;sts&gt;-(N-1)</c>, hostname = pod name and
/// subdomain = <c>spec.serviceName</c> (so <c>&lt;pod&gt;.&lt;svc&gt;.&lt;ns&gt;.svc</c> resolves). A deleted pod is
/// recreated under the same name. <c>Parallel</c> creates and deletes all at once; <c>OrderedReady</c> (the
/// default) creates one ordinal at a time after the lower ones are Ready and removes the highest first.
/// upstream: kubernetes pkg/controller/statefulset/stateful_set_control.go, stateful_pod_control.go
/// (events "create Pod %s in StatefulSet %s successful", "create Pod %s in StatefulSet %s failed error: %s").
/// </summary>
internal sealed class StatefulSetController : IClusterController
{
    public string Name => "statefulset-controller";

    public void Reconcile(SimulatedCluster cluster, IReadOnlyList<WatchEvent> changes)
    {
        foreach (var stored in Triggers.OwnersToSync(cluster, changes, "StatefulSet", "Pod"))
        {
            Sync(cluster, stored);
        }
    }

    private void Sync(SimulatedCluster cluster, StoredObject stored)
    {
        var sts = (V1StatefulSet)stored.Value;
        var podKind = ResourceKind.Of("Pod");
        var want = sts.Spec.Replicas ?? 1;
        var parallel = sts.Spec.PodManagementPolicy == "Parallel";
        var revision = $"{stored.Name}-{NameGenerator.TemplateHash(KubernetesJson.Serialize(sts.Spec.Template))}";
        var byOrdinal = Triggers.Controlled(cluster, stored, "Pod")
            .Select(p => (Ordinal: OrdinalOf(stored.Name, p.Name), Pod: p))
            .Where(x => x.Ordinal >= 0)
            .ToDictionary(x => x.Ordinal, x => x.Pod);

        for (var i = 0; i < want; i++)
        {
            if (byOrdinal.ContainsKey(i))
            {
                continue;
            }

            if (!parallel && Enumerable.Range(0, i).Any(j => !byOrdinal.TryGetValue(j, out var lower) || !ObjectModel.IsPodReady((V1Pod)lower.Value)))
            {
                break;
            }

            var podName = $"{stored.Name}-{i.ToString(CultureInfo.InvariantCulture)}";
            var pod = PodTemplates.NewPod(sts.Spec.Template, stored, podName, null, new Dictionary<string, string>
            {
                ["controller-revision-hash"] = revision,
                ["statefulset.kubernetes.io/pod-name"] = podName,
                ["apps.kubernetes.io/pod-index"] = i.ToString(CultureInfo.InvariantCulture),
            });
            pod.Spec.Hostname = podName;
            pod.Spec.Subdomain = sts.Spec.ServiceName;
            var created = PodTemplates.TryCreatePod(cluster, stored, pod, Name,
                n => $"create Pod {n} in StatefulSet {stored.Name} successful",
                m => $"create Pod {podName} in StatefulSet {stored.Name} failed error: {m}");
            if (created is null)
            {
                break;
            }

            byOrdinal[i] = created;

            if (!parallel)
            {
                break;
            }
        }

        var surplus = byOrdinal.Where(kv => kv.Key >= want).OrderByDescending(kv => kv.Key).ToList();
        foreach (var (ordinal, pod) in parallel ? surplus : surplus.Take(1))
        {
            cluster.DeleteLocked(podKind, pod.Namespace, pod.Name);
            byOrdinal.Remove(ordinal);
            cluster.Recorder.Normal(stored, "SuccessfulDelete", $"delete Pod {pod.Name} in StatefulSet {stored.Name} successful", Name);
        }

        var pods = Triggers.Controlled(cluster, stored, "Pod").Select(p => (V1Pod)p.Value).ToList();
        var ready = pods.Count(ObjectModel.IsPodReady);
        var status = new V1StatefulSetStatus
        {
            Replicas = pods.Count,
            ReadyReplicas = ready,
            AvailableReplicas = ready,
            CurrentReplicas = pods.Count,
            UpdatedReplicas = pods.Count,
            CurrentRevision = revision,
            UpdateRevision = revision,
            ObservedGeneration = stored.Metadata.Generation,
        };
        PodTemplates.WriteStatus<V1StatefulSet>(cluster, stored, sts.Status, status, (o, s) => o.Status = (V1StatefulSetStatus)s);
    }

    private static int OrdinalOf(string setName, string podName) =>
        podName.Length > setName.Length + 1 && podName.StartsWith(setName + "-", StringComparison.Ordinal) &&
        int.TryParse(podName.AsSpan(setName.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : -1;
}
