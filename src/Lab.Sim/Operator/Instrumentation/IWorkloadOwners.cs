using k8s.Models;

namespace OtelLab.Sim.Operator.Instrumentation;

/// <summary>
/// The reads the webhook makes to name a pod's workload (upstream sdk.go <c>addParentResourceLabels</c>: it gets the
/// owning ReplicaSet to find its Deployment, and the owning Job to find its CronJob). Null means "not found".
/// </summary>
public interface IWorkloadOwners
{
    V1ObjectMeta? GetReplicaSet(string ns, string name);

    V1ObjectMeta? GetJob(string ns, string name);
}
