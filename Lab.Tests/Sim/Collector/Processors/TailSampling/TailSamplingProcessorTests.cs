using OtelLab.Sim.Collector.Processors.TailSampling;
using OtelLab.Sim.Collector.Telemetry;
using OtelLab.Sim.Collector.Traces;
using OtelLab.Tests.Support;
using static OtelLab.Tests.Sim.Collector.Processors.TailSampling.TestSpans;

namespace OtelLab.Tests.Sim.Collector.Processors.TailSampling;

[Trait("Category", "Unit")]
public sealed class TailSamplingProcessorTests
{
    private readonly ManualTimeProvider _time = new();
    private readonly List<(DateTimeOffset At, TraceSpan Span)> _forwarded = [];

    private static TailSamplingConfig ErrorsOnly(TimeSpan decisionWait, ulong numTraces = 1000) => new()
    {
        DecisionWait = decisionWait,
        NumTraces = numTraces,
        Policies = [new() { Name = "errors", Type = "status_code", StatusCode = new(["ERROR"]) }],
    };

    private TailSamplingProcessor Start(TailSamplingConfig config, string componentName = "")
    {
        var next = new TraceConsumer((spans, _) =>
        {
            _forwarded.AddRange(spans.Select(s => (_time.GetUtcNow(), s)));
            return ValueTask.CompletedTask;
        });
        var processor = new TailSamplingProcessor(config, next, _time, ledger: new TailSamplingLedger(keepPerTrace: true), componentName: componentName);
        processor.Start();
        return processor;
    }

    private static ValueTask Send(TailSamplingProcessor processor, params TraceSpan[] spans) =>
        processor.ConsumeAsync(spans, TestContext.Current.CancellationToken);

    [Theory]
    [InlineData(3_000, 100)]
    [InlineData(3_000, 999)]
    [InlineData(3_000, 1_000)]
    [InlineData(10_000, 2_500)]
    [InlineData(500, 300)]
    public async Task A_trace_is_decided_between_N_and_N_plus_1_seconds_after_its_first_span(long decisionWaitMs, long arrivalMs)
    {
        // Given a processor started at t0 with decision_wait, and an error trace arriving at t0 + arrivalMs
        var config = ErrorsOnly(TimeSpan.FromMilliseconds(decisionWaitMs));
        await using var processor = Start(config);
        var t0 = _time.GetUtcNow();
        _time.Advance(TimeSpan.FromMilliseconds(arrivalMs));
        var arrival = _time.GetUtcNow();
        await Send(processor, Span(Id(1), SpanStatusCode.Error));

        // When time passes in 100 ms steps until it is forwarded
        while (_forwarded.Count == 0 && _time.GetUtcNow() - t0 < TimeSpan.FromSeconds(60))
        {
            _time.Advance(TimeSpan.FromMilliseconds(100));
        }

        // Then it was decided on a whole-second tick, N..N+1 s after arrival (N = max(1, whole seconds))
        var n = (double)config.DecisionBatches;
        var waited = (_forwarded.Single().At - arrival).TotalSeconds;
        Assert.InRange(waited, n, n + 1);
        Assert.Equal(0, (_forwarded.Single().At - t0).Ticks % TimeSpan.TicksPerSecond);
    }

    [Fact]
    public async Task Not_sampled_traces_are_not_forwarded_and_are_accounted_as_sampled_out()
    {
        await using var processor = Start(ErrorsOnly(TimeSpan.FromSeconds(1)));
        await Send(processor, Span(Id(1)), Span(Id(1)), Span(Id(2), SpanStatusCode.Error));
        _time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal([Id(2)], _forwarded.Select(f => f.Span.TraceId).Distinct());
        Assert.Equal(TraceOutcome.SampledOut, processor.Ledger.OutcomeOf(Id(1)));
        Assert.Equal(2, processor.Ledger.SpansWith(TraceOutcome.SampledOut));
        Assert.Equal(1, processor.Ledger.SpansWith(TraceOutcome.Kept));
    }

    [Fact]
    public async Task Exceeding_num_traces_evicts_the_oldest_and_counts_it_dropped_too_early()
    {
        // Given num_traces 2 and three error traces in the same second
        await using var processor = Start(ErrorsOnly(TimeSpan.FromSeconds(1), numTraces: 2));
        await Send(processor, Span(Id(1), SpanStatusCode.Error), Span(Id(1), SpanStatusCode.Error));
        await Send(processor, Span(Id(2), SpanStatusCode.Error));
        await Send(processor, Span(Id(3), SpanStatusCode.Error));

        // When their batch comes up
        _time.Advance(TimeSpan.FromSeconds(2));

        // Then the oldest was lost before its decision; the other two were kept
        Assert.Equal([Id(2), Id(3)], _forwarded.Select(f => f.Span.TraceId).Distinct());
        Assert.Equal(1, processor.Telemetry.TraceDroppedTooEarly.Total);
        Assert.Equal(TraceOutcome.DroppedTooEarly, processor.Ledger.OutcomeOf(Id(1)));
        Assert.Equal(2, processor.Ledger.SpansWith(TraceOutcome.DroppedTooEarly));
        Assert.Equal(2, processor.TracesOnMemory);
        Assert.Equal(2, processor.Telemetry.TracesOnMemory.Value);
    }

    [Fact]
    public async Task Evicting_a_decided_trace_is_not_dropped_too_early()
    {
        await using var processor = Start(ErrorsOnly(TimeSpan.FromSeconds(1), numTraces: 1));
        await Send(processor, Span(Id(1), SpanStatusCode.Error));
        _time.Advance(TimeSpan.FromSeconds(2)); // decided and still in memory
        await Send(processor, Span(Id(2), SpanStatusCode.Error)); // evicts the decided trace 1
        _time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(0, processor.Telemetry.TraceDroppedTooEarly.Total);
        Assert.Equal(2, _forwarded.Count);
    }

    [Fact]
    public async Task Late_spans_follow_the_decision_while_the_trace_is_in_memory()
    {
        // Given trace 1 decided Sampled and trace 2 decided NotSampled
        await using var processor = Start(ErrorsOnly(TimeSpan.FromSeconds(1)));
        await Send(processor, Span(Id(1), SpanStatusCode.Error), Span(Id(2)));
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Single(_forwarded);

        // When late spans arrive 5 s later — the one for trace 2 carries an error that would have sampled it
        _time.Advance(TimeSpan.FromSeconds(5));
        await Send(processor, Span(Id(1)), Span(Id(2), SpanStatusCode.Error));

        // Then trace 1's late span is forwarded at once and trace 2's is discarded: the decision stands
        Assert.Equal(2, _forwarded.Count);
        Assert.Equal(Id(1), _forwarded[1].Span.TraceId);
        Assert.Equal(2, processor.Ledger.SpansWith(TraceOutcome.SampledOut));
        Assert.Equal(2, processor.Telemetry.LateSpanAge.Count);
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(2, _forwarded.Count);
    }

    [Fact]
    public async Task A_late_span_of_an_evicted_trace_starts_a_new_trace()
    {
        // Given trace 1 decided NotSampled, then evicted by trace 2 (num_traces 1)
        await using var processor = Start(ErrorsOnly(TimeSpan.FromSeconds(1), numTraces: 1));
        await Send(processor, Span(Id(1)));
        _time.Advance(TimeSpan.FromSeconds(2));
        await Send(processor, Span(Id(2)));

        // When a late error span of trace 1 arrives
        await Send(processor, Span(Id(1), SpanStatusCode.Error));
        _time.Advance(TimeSpan.FromSeconds(2));

        // Then it was buffered and decided afresh: sampled this time
        Assert.Equal([Id(1)], _forwarded.Select(f => f.Span.TraceId));
        Assert.Equal(3, processor.Telemetry.NewTraceIdReceived.Total);
    }

    [Fact]
    public async Task A_sampled_decision_cache_releases_late_spans_after_the_trace_left_memory()
    {
        var config = ErrorsOnly(TimeSpan.FromSeconds(1)) with { SampledCacheSize = 10 };
        await using var processor = Start(config);
        await Send(processor, Span(Id(1), SpanStatusCode.Error));
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(0, processor.TracesOnMemory); // released from memory because the cache holds the decision

        await Send(processor, Span(Id(1)));
        Assert.Equal(2, _forwarded.Count);
        Assert.Equal(1, processor.Telemetry.EarlyReleasesFromCacheDecision.Value(new KeyValuePair<string, string>("sampled", "true")));
    }

    [Fact]
    public async Task A_non_sampled_decision_cache_discards_late_spans_after_the_trace_left_memory()
    {
        var config = ErrorsOnly(TimeSpan.FromSeconds(1)) with { NonSampledCacheSize = 10 };
        await using var processor = Start(config);
        await Send(processor, Span(Id(1)));
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(0, processor.TracesOnMemory);

        // A late error span does not revive the trace: the cached NotSampled decision discards it
        await Send(processor, Span(Id(1), SpanStatusCode.Error));
        _time.Advance(TimeSpan.FromSeconds(3));
        Assert.Empty(_forwarded);
        Assert.Equal(1, processor.Telemetry.EarlyReleasesFromCacheDecision.Value(new KeyValuePair<string, string>("sampled", "false")));
        Assert.Equal(2, processor.Ledger.SpansWith(TraceOutcome.SampledOut));
    }

    [Fact]
    public async Task Rate_limiting_inside_the_processor_spends_its_budget_on_the_processor_clock()
    {
        // Given rate_limiting at 2 spans/s (burst 4), six one-span traces at t=0.5 s and three more at t=1.5 s
        var config = new TailSamplingConfig
        {
            DecisionWait = TimeSpan.FromSeconds(1),
            Policies = [new() { Name = "rate", Type = "rate_limiting", RateLimiting = new(SpansPerSecond: 2) }],
        };
        await using var processor = Start(config);
        _time.Advance(TimeSpan.FromSeconds(0.5));
        await Send(processor, [.. Enumerable.Range(1, 6).Select(i => Span(Id(i)))]);
        _time.Advance(TimeSpan.FromSeconds(1));
        await Send(processor, [.. Enumerable.Range(7, 3).Select(i => Span(Id(i)))]);

        // When the first six are decided on the t=2 s tick, Then the full bucket keeps four
        _time.Advance(TimeSpan.FromSeconds(0.5));
        Assert.Equal(4, _forwarded.Count);

        // And on the t=3 s tick one second has refilled two tokens: two of the next three are kept
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(6, _forwarded.Count);
        Assert.Equal([Id(7), Id(8)], _forwarded.Skip(4).Select(f => f.Span.TraceId));
    }

    [Fact]
    public async Task Metrics_use_upstream_names_and_the_component_qualified_policy_label()
    {
        await using var processor = Start(ErrorsOnly(TimeSpan.FromSeconds(1)), componentName: "gateway");
        await Send(processor, Span(Id(1), SpanStatusCode.Error), Span(Id(2)), Span(Id(3)));
        _time.Advance(TimeSpan.FromSeconds(2));

        var text = processor.Telemetry.Registry.RenderPrometheus();
        Assert.Contains("otelcol_processor_tail_sampling_count_traces_sampled{policy=\"gateway.errors\",sampled=\"true\",decision=\"sampled\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("otelcol_processor_tail_sampling_count_traces_sampled{policy=\"gateway.errors\",sampled=\"false\",decision=\"not_sampled\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("otelcol_processor_tail_sampling_global_count_traces_sampled{sampled=\"false\",decision=\"not_sampled\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("otelcol_processor_tail_sampling_new_trace_id_received 3\n", text, StringComparison.Ordinal);
        Assert.Contains("otelcol_processor_tail_sampling_sampling_traces_on_memory 3\n", text, StringComparison.Ordinal);
        Assert.Contains("otelcol_processor_tail_sampling_sampling_trace_dropped_too_early 0\n", text, StringComparison.Ordinal);
        Assert.Contains("otelcol_processor_tail_sampling_sampling_policy_evaluation_error 0\n", text, StringComparison.Ordinal);
        Assert.Contains("otelcol_processor_tail_sampling_sampling_decision_latency_count{policy=\"gateway.errors\"} 3\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE otelcol_processor_tail_sampling_new_trace_id_received_total counter", new TailSamplingTelemetry(new MetricRegistry()).Registry.RenderPrometheus(counterTotalSuffix: true), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_received_span_is_accounted_for()
    {
        // Given a random mix of traces, some late spans and an eviction-prone num_traces
        var config = ErrorsOnly(TimeSpan.FromSeconds(2), numTraces: 40);
        await using var processor = Start(config);
        var random = new Random(7);
        for (var second = 0; second < 20; second++)
        {
            for (var i = 0; i < 30; i++)
            {
                var id = Id(random.Next(1, 400));
                await Send(processor, Span(id, random.NextDouble() < 0.2 ? SpanStatusCode.Error : SpanStatusCode.Unset));
            }

            _time.Advance(TimeSpan.FromSeconds(1));
        }

        // Then received = kept + sampled out + dropped by policy + dropped too early + pending, and kept = forwarded
        var ledger = processor.Ledger;
        var accounted = Enum.GetValues<TraceOutcome>().Sum(ledger.SpansWith) + ledger.Pending;
        Assert.Equal(600, ledger.Received);
        Assert.Equal(ledger.Received, accounted);
        Assert.Equal(ledger.SpansWith(TraceOutcome.Kept), _forwarded.Count);
        Assert.True(ledger.SpansWith(TraceOutcome.DroppedTooEarly) > 0, "num_traces 40 at 30 new traces/s must evict undecided traces");
        Assert.True(ledger.Pending >= 0);
    }

    [Fact]
    public async Task A_failing_next_consumer_is_counted_not_thrown()
    {
        var failing = new TraceConsumer((_, _) => throw new InvalidOperationException("exporter down"));
        await using var processor = new TailSamplingProcessor(ErrorsOnly(TimeSpan.FromSeconds(1)), failing, _time);
        processor.Start();
        await Send(processor, Span(Id(1), SpanStatusCode.Error));
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, processor.ForwardFailures);
    }
}
