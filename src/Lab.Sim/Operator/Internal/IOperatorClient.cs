using k8s.Models;
using OtelLab.Model.Crds;
using OtelLab.Sim.Cluster;

namespace OtelLab.Sim.Operator.Internal;

/// <summary>
/// The reads and writes the collector reconciler makes (controller-runtime's <c>client.Client</c>): reads from a cache,
/// writes to the API. In process it is the store itself, inside the store's write path (<see cref="StoreOperatorClient"/>);
/// over the wire it is informer caches and KubernetesClient with the operator's ServiceAccount token
/// (<see cref="WireOperatorClient"/>). One reconcile logic runs over either.
/// </summary>
internal interface IOperatorClient
{
    /// <summary>Whether the API serves the kind (its CRD is installed).</summary>
    bool Serves(ResourceKind kind);

    object? Get(ResourceKind kind, string ns, string name);

    V1ObjectMeta? MetadataOf(ResourceKind kind, string ns, string name);

    /// <summary>The objects in <paramref name="ns"/> whose controller owner reference is <paramref name="ownerUid"/>, of the kinds the operator owns.</summary>
    IReadOnlyList<(ResourceKind Kind, V1ObjectMeta Metadata)> OwnedBy(string ownerUid, string ns);

    /// <summary>Creates an object; <paramref name="metadata"/> when the model carries none (a custom resource's spec model).</summary>
    ValueTask CreateAsync(ResourceKind kind, object value, V1ObjectMeta? metadata, CancellationToken cancellationToken);

    /// <summary>Replaces an object (its metadata carries the resourceVersion read: a stale one is a 409 Conflict).</summary>
    ValueTask UpdateAsync(ResourceKind kind, object value, V1ObjectMeta? metadata, CancellationToken cancellationToken);

    ValueTask DeleteAsync(ResourceKind kind, string ns, string name, CancellationToken cancellationToken);

    /// <summary>Writes the collector's status (<see cref="CollectorStatus"/>) when it changed.</summary>
    ValueTask UpdateStatusAsync(OpenTelemetryCollector collector, V1ObjectMeta metadata, CancellationToken cancellationToken);

    /// <summary>Records a Warning event about an object.</summary>
    ValueTask WarningAsync(ResourceKind kind, string ns, string name, string reason, string message, CancellationToken cancellationToken);
}
