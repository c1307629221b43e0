using OtelLab.Sim.Collector.Processors.TailSampling;
using OtelLab.Sim.Collector.Traces;
using OtelLab.Tests.Support;
using static OtelLab.Tests.Sim.Collector.Processors.TailSampling.TestSpans;

namespace OtelLab.Tests.Sim.Collector.Processors.TailSampling;

/// <summary>The lab's decision tap on tail_sampling (lab instrumentation): classes, and that observing changes no decision.</summary>
[Trait("Category", "Unit")]
public sealed class TraceClassTallyTests
{
    private static readonly TailSamplingConfig Guide = new()
    {
        DecisionWait = TimeSpan.FromSeconds(1),
        Policies =
        [
            new() { Name = "errors", Type = "status_code", StatusCode = new(["ERROR"]) },
            new() { Name = "slow", Type = "latency", Latency = new(500) },
            new() { Name = "baseline", Type = "probabilistic", Probabilistic = new(SamplingPercentage: 10) },
        ],
    };

    [Fact]
    public void Error_wins_over_slow_and_slow_starts_at_the_latency_threshold_as_upstream_compares()
    {
        // Given the guide's policies (latency threshold 500 ms; upstream latency.go samples when ms >= threshold)
        var tally = TraceClassTally.For(Guide);

        // Then classes follow error → slow → baseline over the whole trace's window
        Assert.Equal(500, tally.SlowThresholdMs);
        Assert.Equal(10, tally.BaselinePercentage);
        Assert.Equal(TraceClass.Error, tally.Classify([Span(Id(1), startMs: 1, durationMs: 900), Span(Id(1), SpanStatusCode.Error, startMs: 2)]));
        Assert.Equal(TraceClass.Slow, tally.Classify([Span(Id(2), startMs: 1, durationMs: 100), Span(Id(2), startMs: 401, durationMs: 100)]));
        Assert.Equal(TraceClass.Baseline, tally.Classify([Span(Id(3), startMs: 1, durationMs: 499)]));
        Assert.Equal(TraceClass.Baseline, new TraceClassTally(null).Classify([Span(Id(4), startMs: 1, durationMs: 9_000)]));
    }

    [Fact]
    public async Task Observing_decisions_changes_none_and_tallies_kept_traces_per_class()
    {
        // Given two processors over the same 400 traces (errors, slow and baseline), one with the tap, one without
        var time = new ManualTimeProvider();
        var plain = new List<TraceId>();
        var tapped = new List<TraceId>();
        var tally = TraceClassTally.For(Guide);
        await using var without = new TailSamplingProcessor(Guide, Recorder(plain), time);
        await using var with = new TailSamplingProcessor(Guide, Recorder(tapped), time, observer: tally);
        without.Start();
        with.Start();
        var spans = Enumerable.Range(1, 400).Select(i => i % 20 == 0 ? Span(Id(i), SpanStatusCode.Error, startMs: 1)
            : i % 20 == 1 ? Span(Id(i), startMs: 1, durationMs: 700)
            : Span(Id(i), startMs: 1)).ToArray();
        var ct = TestContext.Current.CancellationToken;

        // When both decide
        await without.ConsumeAsync(spans, ct);
        await with.ConsumeAsync(spans, ct);
        time.Advance(TimeSpan.FromSeconds(3));

        // Then they forwarded the same traces, and the tally holds 20 error / 20 slow traces all kept, and the baseline's kept count
        Assert.Equal(plain, tapped);
        Assert.Equal((20, 20), (tally.Traces(TraceClass.Error), tally.Kept(TraceClass.Error)));
        Assert.Equal((20, 20), (tally.Traces(TraceClass.Slow), tally.Kept(TraceClass.Slow)));
        Assert.Equal(360, tally.Traces(TraceClass.Baseline));
        Assert.Equal(tapped.Count - 40, tally.Kept(TraceClass.Baseline));
        Assert.Equal(0, with.ObserverFailures);
    }

    [Fact]
    public async Task A_throwing_observer_is_counted_and_the_decision_still_goes_downstream()
    {
        // Given a processor whose observer throws
        var time = new ManualTimeProvider();
        var forwarded = new List<TraceId>();
        await using var processor = new TailSamplingProcessor(Guide, Recorder(forwarded), time, observer: new Throwing());
        processor.Start();

        // When an error trace is decided
        await processor.ConsumeAsync([Span(Id(1), SpanStatusCode.Error, startMs: 1)], TestContext.Current.CancellationToken);
        time.Advance(TimeSpan.FromSeconds(3));

        // Then it is forwarded and the failure counted
        Assert.Equal([Id(1)], forwarded);
        Assert.Equal(1, processor.ObserverFailures);
    }

    private static TraceConsumer Recorder(List<TraceId> into) => new((spans, _) =>
    {
        into.AddRange(spans.Select(s => s.TraceId).Distinct());
        return ValueTask.CompletedTask;
    });

    private sealed class Throwing : ITraceDecisionObserver
    {
        public void OnDecision(TraceDecisionRecord decision) => throw new InvalidOperationException("observer bug");
    }
}
