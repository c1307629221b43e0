using OtelLab.Scenarios.Loads;
using OtelLab.Scenarios.Monitoring;

namespace OtelLab.Tests.Scenarios.Loads;

/// <summary>The pipeline's view of a load window from two readings of the collectors' counters.</summary>
[Trait("Category", "Unit")]
public sealed class PipelineWindowTests
{
    [Fact]
    public void Rates_losses_the_fullest_queue_keep_rates_and_decision_latency_are_deltas_over_the_window()
    {
        var from = Reading(0, spans: 100, refused: 1, sendFailed: 2, enqueueFailed: 0, queue: 3, kept: 5, traces: 50, decisions: (10, 5_000));
        var between = Reading(5, spans: 600, refused: 1, sendFailed: 2, enqueueFailed: 0, queue: 40, kept: 7, traces: 60, decisions: (20, 15_000));
        var to = Reading(10, spans: 1100, refused: 4, sendFailed: 2, enqueueFailed: 6, queue: 7, kept: 9, traces: 70, decisions: (30, 25_000));

        var window = PipelineWindow.Between(from, to, [between]);

        var tier = Assert.Single(window.Tiers);
        Assert.Equal(100, tier.SpansInPerSecond, 9); // (1100 − 100) spans over 10 lab seconds
        Assert.Equal(3, window.Refused);
        Assert.Equal(6, window.Dropped);
        Assert.Equal(40, window.MaxQueue!.Size);
        Assert.Equal(new KeepRateRow("error", 20, 4), Assert.Single(window.KeepRates));
        Assert.Equal(1.0, window.DecisionLatencyMs!.Value, 9); // 20,000 µs over 20 evaluations
    }

    private static PipelineReading Reading(int second, long spans, long refused, long sendFailed, long enqueueFailed, long queue, long kept, long traces, (long, double) decisions) => new()
    {
        At = TimeSpan.FromSeconds(second),
        WallTimestamp = second,
        Tiers = [new TierReading("otel-gateway (deployment)", spans, spans, 0, 0, refused, 0, sendFailed, enqueueFailed)],
        Queues = [new QueueReading("otel-gateway (deployment)", "gw-0/otlphttp (traces)", queue, 1000)],
        KeepRates = [new KeepRateRow("error", traces, kept)],
        DecisionLatency = decisions,
        ProcessCpu = TimeSpan.Zero,
        WorkingSetBytes = 1,
    };
}
