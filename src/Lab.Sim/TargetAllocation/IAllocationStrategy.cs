namespace OtelLab.Sim.TargetAllocation;

/// <summary>An allocation strategy (upstream: TA internal/allocation/strategy.go Strategy).</summary>
public interface IAllocationStrategy
{
    /// <summary>The strategy's name as configured (<c>consistent-hashing</c>, <c>least-weighted</c>, <c>per-node</c>).</summary>
    string Name { get; }

    /// <summary>
    /// The collector for a target, or null with <paramref name="error"/> set when it cannot be assigned. The collectors
    /// map is the one last passed to <see cref="SetCollectors"/>.
    /// </summary>
    CollectorReplica? GetCollectorForTarget(IReadOnlyDictionary<string, CollectorReplica> collectors, TargetItem item, out string? error);

    /// <summary>Tells the strategy the collector set changed (may be expensive, e.g. rebuilding a hash ring).</summary>
    void SetCollectors(IReadOnlyDictionary<string, CollectorReplica> collectors);

    /// <summary>Sets a fallback for strategies that can leave targets unassigned; others ignore it.</summary>
    void SetFallbackStrategy(IAllocationStrategy? fallback);
}
