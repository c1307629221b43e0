namespace OtelLab.Sim.TargetAllocation;

/// <summary>
/// The TA's self-metric names (upstream: TA internal/allocation/allocator.go, internal/target/discovery.go,
/// internal/collector/collector.go, internal/server/server.go, main.go).
/// </summary>
public static class AllocatorMetricNames
{
    /// <summary>Gauge {collector_name, strategy}: targets assigned to each collector.</summary>
    public const string TargetsPerCollector = "opentelemetry_allocator_targets_per_collector";

    /// <summary>Gauge {strategy}: collectors the allocator can assign to.</summary>
    public const string CollectorsAllocatable = "opentelemetry_allocator_collectors_allocatable";

    /// <summary>Histogram {method, strategy}: seconds spent in SetTargets / SetCollectors.</summary>
    public const string TimeToAllocate = "opentelemetry_allocator_time_to_allocate";

    /// <summary>Gauge: targets kept after relabel filtering.</summary>
    public const string TargetsRemaining = "opentelemetry_allocator_targets_remaining";

    /// <summary>Gauge: targets that could not be assigned (recorded only when &gt; 0, as upstream).</summary>
    public const string TargetsUnassigned = "opentelemetry_allocator_targets_unassigned";

    /// <summary>Gauge {job_name}: targets discovered per job, before filtering.</summary>
    public const string Targets = "opentelemetry_allocator_targets";

    /// <summary>Gauge: collector pods discovered (after the node and readiness checks).</summary>
    public const string CollectorsDiscovered = "opentelemetry_allocator_collectors_discovered";

    /// <summary>Counter {source}: configuration events received.</summary>
    public const string Events = "opentelemetry_allocator_events";

    /// <summary>Histogram {path}: HTTP request durations.</summary>
    public const string HttpDuration = "opentelemetry_allocator_http_duration_seconds";
}
