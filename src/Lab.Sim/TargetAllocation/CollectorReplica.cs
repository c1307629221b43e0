using System.Diagnostics;

namespace OtelLab.Sim.TargetAllocation;

/// <summary>
/// A collector replica the allocator assigns targets to (upstream: TA internal/allocation/strategy.go Collector; renamed so it does not clash with the OtelLab.Sim.Collector namespace).
/// Its name is the collector pod's name; the counts are kept by the <see cref="Allocator"/>.
/// </summary>
[DebuggerDisplay("{Name} on {NodeName}: {NumTargets} targets")]
public sealed class CollectorReplica
{
    public CollectorReplica(string name, string nodeName = "")
    {
        ArgumentNullException.ThrowIfNull(name);
        Name = name;
        NodeName = nodeName ?? "";
    }

    public string Name { get; }

    /// <summary>The pod's <c>spec.nodeName</c>; per-node allocation indexes collectors by it.</summary>
    public string NodeName { get; }

    /// <summary>Targets currently assigned.</summary>
    public int NumTargets { get; internal set; }

    /// <summary>Targets currently assigned, per job.</summary>
    public Dictionary<string, int> TargetsPerJob { get; } = new(StringComparer.Ordinal);

    public override string ToString() => Name;
}
