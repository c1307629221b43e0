using k8s.Models;

namespace OtelLab.Sim.Cluster;

/// <summary>The <c>/status</c> subresource of any kind, custom ones included.</summary>
public sealed partial class SimulatedCluster
{
    /// <summary>
    /// Writes an object as a status update: no admission, no generation bump (upstream: a status write never changes
    /// the spec, so the generation stays; registry/*/strategy.go statusStrategy).
    /// </summary>
    internal object WriteStatus(ResourceKind kind, object value, V1ObjectMeta? metadata)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(value);
        lock (_gate)
        {
            var updated = UpdateLocked(kind, value, metadata, admit: false);
            Drain();
            return updated.Value;
        }
    }
}
