namespace OtelLab.Sim.TargetAllocation;

/// <summary>Settings of an emulated target allocator (the TA config file; durations are lab time).</summary>
public sealed record TargetAllocatorOptions
{
    /// <summary><c>allocation_strategy</c>; upstream default consistent-hashing.</summary>
    public string AllocationStrategy { get; init; } = AllocationStrategies.ConsistentHashing;

    /// <summary><c>allocation_fallback_strategy</c> (per-node only); none by default.</summary>
    public string? FallbackStrategy { get; init; }

    /// <summary><c>collectorNotReadyGracePeriod</c>: a non-Running collector pod older than this gets no targets (upstream 30 s).</summary>
    public TimeSpan CollectorNotReadyGracePeriod { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Collector-set recomputation runs at most this often (upstream collector.go defaultMinUpdateInterval, 5 s).</summary>
    public TimeSpan CollectorMinUpdateInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The collector watcher's informer resync period (upstream collector.go: 30 s); each resync re-evaluates the pods,
    /// which is when a pod crossing the grace period loses its targets.
    /// </summary>
    public TimeSpan CollectorResyncPeriod { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Discovered-target updates are applied on this tick (upstream discovery.go reloader, 5 s).</summary>
    public TimeSpan TargetReloadInterval { get; init; } = TimeSpan.FromSeconds(5);
}
