using k8s.Models;

namespace OtelLab.Sim.Cluster.Internal.Controllers;

/// <summary>
/// Keeps <c>spec.replicas</c> pods per ReplicaSet: pods named <c>&lt;rs&gt;-&lt;5 chars&gt;</c> (generateName), owned by
/// the ReplicaSet. A refused creation is recorded as a <c>FailedCreate</c> warning with the server's message and
/// retried when something relevant changes (a ServiceAccount appears, a pod goes away).
/// upstream: kubernetes pkg/controller/replicaset/replica_set.go (manageReplicas; events "Created pod: %v",
/// "Error creating: %v", "Deleted pod: %v").
/// </summary>
internal sealed class ReplicaSetController : IClusterController
{
    public string Name => "replicaset-controller";

    public void Reconcile(SimulatedCluster cluster, IReadOnlyList<WatchEvent> changes)
    {
        foreach (var stored in Triggers.OwnersToSync(cluster, changes, "ReplicaSet", "Pod"))
        {
            Sync(cluster, stored);
        }
    }

    private void Sync(SimulatedCluster cluster, StoredObject stored)
    {
        var rs = (V1ReplicaSet)stored.Value;
        var podKind = ResourceKind.Of("Pod");
        var pods = Triggers.Controlled(cluster, stored, "Pod");
        var want = rs.Spec.Replicas ?? 1;
        if (pods.Count < want)
        {
            for (var i = pods.Count; i < want; i++)
            {
                var pod = PodTemplates.NewPod(rs.Spec.Template, stored, null, $"{stored.Name}-");
                if (PodTemplates.TryCreatePod(cluster, stored, pod, Name, n => $"Created pod: {n}", m => $"Error creating: {m}") is null)
                {
                    break;
                }
            }
        }
        else if (pods.Count > want)
        {
            foreach (var pod in PodTemplates.DeletionOrder(pods).Take(pods.Count - want).ToList())
            {
                cluster.DeleteLocked(podKind, pod.Namespace, pod.Name);
                cluster.Recorder.Normal(stored, "SuccessfulDelete", $"Deleted pod: {pod.Name}", Name);
            }
        }

        var now = Triggers.Controlled(cluster, stored, "Pod").Select(p => (V1Pod)p.Value).ToList();
        var ready = now.Count(ObjectModel.IsPodReady);
        var status = new V1ReplicaSetStatus
        {
            Replicas = now.Count,
            FullyLabeledReplicas = now.Count,
            ReadyReplicas = ready,
            AvailableReplicas = ready,
            ObservedGeneration = stored.Metadata.Generation,
        };
        PodTemplates.WriteStatus<V1ReplicaSet>(cluster, stored, rs.Status, status, (o, s) => o.Status = (V1ReplicaSetStatus)s);
    }
}
