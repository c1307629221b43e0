using k8s.Models;
using OtelLab.Model.Crds;
using OtelLab.Sim.Cluster;

namespace OtelLab.Sim.Operator.Internal;

/// <summary>
/// The reconciler's reads and writes straight on the store, inside its write path (the in-process default): every
/// call completes synchronously, so the cluster's controller loop runs the reconcile to its end before the next batch.
/// </summary>
internal sealed class StoreOperatorClient(SimulatedCluster cluster) : IOperatorClient
{
    public bool Serves(ResourceKind kind) => cluster.Options.Installs(kind);

    public object? Get(ResourceKind kind, string ns, string name) => cluster.Get(kind, ns, name);

    public V1ObjectMeta? MetadataOf(ResourceKind kind, string ns, string name) => cluster.MetadataOf(kind.Kind, ns, name);

    public IReadOnlyList<(ResourceKind Kind, V1ObjectMeta Metadata)> OwnedBy(string ownerUid, string ns) =>
        [.. cluster.Store.DependentsOf(ownerUid)
            .Where(o => o.Metadata.OwnerReferences?.Any(r => r.Uid == ownerUid && r.Controller == true) == true)
            .Select(o => (o.Kind, o.Metadata))];

    public ValueTask CreateAsync(ResourceKind kind, object value, V1ObjectMeta? metadata, CancellationToken cancellationToken)
    {
        cluster.Create(kind, value, metadata);
        return ValueTask.CompletedTask;
    }

    public ValueTask UpdateAsync(ResourceKind kind, object value, V1ObjectMeta? metadata, CancellationToken cancellationToken)
    {
        cluster.Update(kind, value, metadata);
        return ValueTask.CompletedTask;
    }

    public ValueTask DeleteAsync(ResourceKind kind, string ns, string name, CancellationToken cancellationToken)
    {
        cluster.Delete(kind.Kind, ns, name);
        return ValueTask.CompletedTask;
    }

    public ValueTask UpdateStatusAsync(OpenTelemetryCollector collector, V1ObjectMeta metadata, CancellationToken cancellationToken)
    {
        CollectorStatus.Update(cluster, collector, metadata);
        return ValueTask.CompletedTask;
    }

    public ValueTask WarningAsync(ResourceKind kind, string ns, string name, string reason, string message, CancellationToken cancellationToken)
    {
        if (cluster.Store.Get(kind, ns, name) is { } stored)
        {
            cluster.Recorder.Warning(stored, reason, message, "opentelemetry-operator");
        }

        return ValueTask.CompletedTask;
    }
}
