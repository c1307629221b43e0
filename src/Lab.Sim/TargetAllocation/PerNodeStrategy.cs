namespace OtelLab.Sim.TargetAllocation;

/// <summary>
/// upstream: TA internal/allocation/per_node.go. Collectors are indexed by node; a target goes to the collector on its
/// node (<see cref="TargetItem.NodeName"/>). A target without a node goes to the fallback strategy when one is set
/// (<c>allocation_fallback_strategy</c>); any other miss leaves it unassigned with
/// <c>could not find collector for node X</c> — including a target whose node has no collector, even with a fallback.
/// </summary>
public sealed class PerNodeStrategy : IAllocationStrategy
{
    private readonly Dictionary<string, CollectorReplica> _collectorByNode = new(StringComparer.Ordinal);
    private IAllocationStrategy? _fallback;

    public string Name => AllocationStrategies.PerNode;

    public CollectorReplica? GetCollectorForTarget(IReadOnlyDictionary<string, CollectorReplica> collectors, TargetItem item, out string? error)
    {
        ArgumentNullException.ThrowIfNull(collectors);
        ArgumentNullException.ThrowIfNull(item);
        var node = item.NodeName;
        if (node.Length == 0 && _fallback is not null)
        {
            return _fallback.GetCollectorForTarget(collectors, item, out error);
        }

        if (_collectorByNode.TryGetValue(node, out var collector) && collectors.TryGetValue(collector.Name, out var current))
        {
            error = null;
            return current;
        }

        error = $"could not find collector for node {node}";
        return null;
    }

    public void SetCollectors(IReadOnlyDictionary<string, CollectorReplica> collectors)
    {
        ArgumentNullException.ThrowIfNull(collectors);
        _collectorByNode.Clear();
        foreach (var collector in collectors.Values)
        {
            if (collector.NodeName.Length > 0)
            {
                _collectorByNode[collector.NodeName] = collector;
            }
        }

        _fallback?.SetCollectors(collectors);
    }

    public void SetFallbackStrategy(IAllocationStrategy? fallback) => _fallback = fallback;
}
