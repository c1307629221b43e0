using OtelLab.Model.Crds;

namespace OtelLab.Sim.TargetAllocation;

/// <summary>The registered strategies by name (upstream: TA internal/allocation/strategy.go strategies).</summary>
public static class AllocationStrategies
{
    public const string ConsistentHashing = AllocationStrategy.ConsistentHashing;
    public const string LeastWeighted = AllocationStrategy.LeastWeighted;
    public const string PerNode = AllocationStrategy.PerNode;

    /// <summary>The allowed names, the default first.</summary>
    public static IReadOnlyList<string> Names { get; } = [ConsistentHashing, LeastWeighted, PerNode];

    /// <summary>Creates a strategy; throws <see cref="ArgumentException"/> listing the allowed names for an unknown one.</summary>
    public static IAllocationStrategy Create(string name, string? fallback = null)
    {
        IAllocationStrategy strategy = name switch
        {
            ConsistentHashing => new ConsistentHashingStrategy(),
            LeastWeighted => new LeastWeightedStrategy(),
            PerNode => new PerNodeStrategy(),
            _ => throw new ArgumentException($"unregistered strategy: {name} (allowed: {string.Join(", ", Names)})", nameof(name)),
        };
        if (!string.IsNullOrEmpty(fallback))
        {
            if (!Names.Contains(fallback))
            {
                throw new ArgumentException($"unregistered strategy used as fallback: {fallback} (allowed: {string.Join(", ", Names)})", nameof(fallback));
            }

            strategy.SetFallbackStrategy(Create(fallback));
        }

        return strategy;
    }
}
