using k8s.Models;

namespace OtelLab.Sim.Operator.Instrumentation;

/// <summary>An <see cref="IWorkloadOwners"/> over a fixed set of ReplicaSets and Jobs.</summary>
public sealed class InMemoryWorkloadOwners : IWorkloadOwners
{
    private readonly Dictionary<(string, string), V1ObjectMeta> _replicaSets = [];
    private readonly Dictionary<(string, string), V1ObjectMeta> _jobs = [];

    /// <summary>Knows no owner: every lookup is "not found".</summary>
    public static InMemoryWorkloadOwners Empty => new();

    public InMemoryWorkloadOwners Add(V1ReplicaSet replicaSet)
    {
        ArgumentNullException.ThrowIfNull(replicaSet);
        _replicaSets[Key(replicaSet.Metadata)] = replicaSet.Metadata;
        return this;
    }

    public InMemoryWorkloadOwners Add(V1Job job)
    {
        ArgumentNullException.ThrowIfNull(job);
        _jobs[Key(job.Metadata)] = job.Metadata;
        return this;
    }

    public V1ObjectMeta? GetReplicaSet(string ns, string name) => _replicaSets.GetValueOrDefault((ns, name));

    public V1ObjectMeta? GetJob(string ns, string name) => _jobs.GetValueOrDefault((ns, name));

    private static (string, string) Key(V1ObjectMeta meta) => (meta.NamespaceProperty ?? "default", meta.Name);
}
