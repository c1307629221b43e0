namespace OtelLab.Scenarios.Monitoring;

/// <summary>
/// Seam for what only the pipeline's runtimes know: shards per collector replica (the Target Allocator), spans per
/// tier and keep rates (the collector runtime's <c>otelcol_*</c> counters). The host composes the implementations
/// (<see cref="RuntimePipelineTelemetry"/>); with none, the views say "no data" for these panels.
/// </summary>
public interface IPipelineTelemetry
{
    IReadOnlyList<ShardRow> Shards();

    /// <summary>Cumulative span counters per tier (agent, gateway …); the monitor turns them into rates.</summary>
    IReadOnlyList<TierCounters> Tiers();

    IReadOnlyList<KeepRateRow> KeepRates();
}

/// <summary>One collector replica's share of the scrape targets.</summary>
public sealed record ShardRow(string Collector, string Replica, int Targets, long Series, DateTimeOffset? LastScrape);

/// <summary>Cumulative spans a tier received and sent (otelcol_receiver_accepted_spans / otelcol_exporter_sent_spans), plus send failures.</summary>
public sealed record TierCounters(string Tier, long Received, long Sent, long SendFailed);

/// <summary>Tail-sampling decisions for one class of traces (error / slow / baseline).</summary>
public sealed record KeepRateRow(string Class, long Traces, long Kept)
{
    public double Rate => Traces == 0 ? 0 : Kept / (double)Traces;
}
