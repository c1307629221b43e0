using OtelLab.Sim.TargetAllocation.Internal;

namespace OtelLab.Sim.TargetAllocation;

/// <summary>
/// The default strategy (upstream: TA internal/allocation/consistent_hashing.go): a bounded-load consistent hash ring
/// of collector names, PartitionCount 1061, ReplicationFactor 5, Load 1.1, XXH64; the key is the target's
/// <see cref="TargetItem.TargetUrl"/> (<c>__address__</c>). The ring is rebuilt on every collector change.
/// </summary>
public sealed class ConsistentHashingStrategy : IAllocationStrategy
{
    /// <summary>upstream: consistent.Config PartitionCount.</summary>
    public const int PartitionCount = 1061;

    /// <summary>upstream: consistent.Config ReplicationFactor.</summary>
    public const int ReplicationFactor = 5;

    /// <summary>upstream: consistent.Config Load.</summary>
    public const double Load = 1.1;

    private ConsistentRing _ring = new([], PartitionCount, ReplicationFactor, Load);

    public string Name => AllocationStrategies.ConsistentHashing;

    /// <summary>The partition cap per collector for the current collector set.</summary>
    public double PartitionCap => _ring.AverageLoad;

    /// <summary>Partitions owned by each collector in the current ring.</summary>
    public IReadOnlyDictionary<string, int> PartitionLoads => _ring.Loads;

    /// <summary>The ring owner of a key (null when there are no collectors).</summary>
    public string? Locate(string key) => _ring.LocateKey(key);

    public CollectorReplica? GetCollectorForTarget(IReadOnlyDictionary<string, CollectorReplica> collectors, TargetItem item, out string? error)
    {
        ArgumentNullException.ThrowIfNull(collectors);
        ArgumentNullException.ThrowIfNull(item);
        var member = _ring.LocateKey(item.TargetUrl);
        if (member is not null && collectors.TryGetValue(member, out var collector))
        {
            error = null;
            return collector;
        }

        error = $"unknown collector {member}";
        return null;
    }

    public void SetCollectors(IReadOnlyDictionary<string, CollectorReplica> collectors)
    {
        ArgumentNullException.ThrowIfNull(collectors);
        _ring = new ConsistentRing(collectors.Keys, PartitionCount, ReplicationFactor, Load);
    }

    public void SetFallbackStrategy(IAllocationStrategy? fallback)
    {
        // upstream: a no-op for consistent-hashing.
    }
}
