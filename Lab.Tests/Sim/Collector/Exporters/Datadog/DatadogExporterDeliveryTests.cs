using OtelLab.Backends.Capture;
using OtelLab.Backends.Datadog;
using OtelLab.Model.Collector;
using OtelLab.Sim.Collector.Exporters.Datadog;
using OtelLab.Sim.Collector.Metrics;
using OtelLab.Sim.Collector.Pipeline;
using OtelLab.Sim.Collector.Traces;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Sim.Collector.Exporters.Datadog;

/// <summary>
/// When and how the datadog exporter delivers: the trace writer's 5 s / 3.2 MB flush and its retries (backends.md
/// "Flushed every 5 s or at 3.2 MB; retries network errors, 408 and 5xx up to 4 times"; datadog-agent
/// pkg/trace/writer), the metrics path's retry_on_failure (contrib datadogexporter factory.go + clientutil retrier /
/// error_converter), and histograms per <c>metrics.histograms.mode</c> (mapping-go translator; default distributions).
/// </summary>
[Trait("Category", "Component")]
public sealed class DatadogExporterDeliveryTests : IAsyncLifetime
{
    private const string Key = "0123456789abcdef0123456789abcdef";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private readonly DatadogBackend _datadog = new DatadogBackendBuilder().WithApiKey(Key).Build();
    private readonly ManualTimeProvider _time = new();

    public async ValueTask InitializeAsync() => await _datadog.StartAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync() => await _datadog.DisposeAsync();

    private async Task<(ComponentHarness Harness, DatadogExporter Exporter)> StartAsync(string signal = "traces", string settings = "")
    {
        var harness = await ComponentHarness.StartAsync(time: _time);
        harness.Egress.Map("api.datadoghq.com", _datadog.BaseAddress);
        harness.Egress.Map("trace.agent.datadoghq.com", _datadog.BaseAddress);
        var exporter = (DatadogExporter)new DatadogExporterFactory().Create(harness.Context("datadog", ComponentKind.Exporter, $"api: {{key: \"{Key}\"}}\n{settings}", signal));
        await exporter.StartAsync(TestContext.Current.CancellationToken);
        return (harness, exporter);
    }

    private static TraceSpan Span(ulong id, string payload = "") => new()
    {
        TraceId = new TraceId(7, id),
        SpanId = id,
        Name = "charge",
        StartTimeUnixNano = 1_700_000_000_000_000_000,
        EndTimeUnixNano = 1_700_000_000_100_000_000,
        Resource = TelemetryResource.ForService("payments"),
        Attributes = payload.Length == 0 ? new Dictionary<string, AttributeValue>() : new Dictionary<string, AttributeValue> { ["blob"] = payload },
    };

    private static MetricPoint Histogram(ulong count, double sum, ulong[] buckets, ulong at, AggregationTemporality temporality = AggregationTemporality.Delta) => new()
    {
        Name = "http.duration",
        Kind = MetricKind.Histogram,
        Temporality = temporality,
        Count = count,
        Value = sum,
        ExplicitBounds = [0.1, 0.5],
        BucketCounts = buckets,
        TimeUnixNano = at,
        Attributes = new Dictionary<string, AttributeValue> { ["route"] = "/pay" },
    };

    private static long Counter(ComponentHarness harness, string name) =>
        harness.Telemetry.CounterOrExisting(name, string.Empty).Value(new KeyValuePair<string, string>("exporter", "datadog"));

    private static int Lines(ComponentHarness harness, string text) => harness.Container.Log.Lines().Count(l => l.Contains(text, StringComparison.Ordinal));

    [Fact]
    public async Task Traces_are_buffered_and_sent_when_the_5_second_flush_interval_passes()
    {
        // Given a started exporter on a manual clock
        var (_, exporter) = await StartAsync();
        await using var _ = exporter;

        // When two spans are consumed and 4.9 s pass
        await exporter.ConsumeAsync([Span(1), Span(2)], TestContext.Current.CancellationToken);
        _time.Advance(TimeSpan.FromSeconds(4.9));

        // Then nothing was sent yet: the trace writer holds them
        Assert.Equal(2, exporter.PendingSpans);
        Assert.Empty(_datadog.Captures.Spans());

        // And at 5 s the writer flushes them in one payload
        _time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.True(await _datadog.Captures.WaitUntilAsync(c => c.Spans().Count == 2, Wait, TestContext.Current.CancellationToken));
        Assert.Equal(0, exporter.PendingSpans);
    }

    [Fact]
    public async Task A_buffer_that_would_pass_3_2_MB_is_flushed_before_the_new_spans_are_added()
    {
        // Given a buffered span of ~1.7 MB
        var (_, exporter) = await StartAsync();
        await using var _ = exporter;
        var blob = new string('x', 1_700_000);
        await exporter.ConsumeAsync([Span(1, blob)], TestContext.Current.CancellationToken);
        Assert.Equal(1, exporter.PendingSpans);

        // When another ~1.7 MB span arrives (together more than 3,200,000 bytes), without any time passing
        await exporter.ConsumeAsync([Span(2, blob)], TestContext.Current.CancellationToken);

        // Then the first is sent on its own and the second waits for the next flush
        Assert.True(await _datadog.Captures.WaitUntilAsync(c => c.Spans().Count == 1, Wait, TestContext.Current.CancellationToken));
        Assert.Equal(1UL, _datadog.Captures.Spans().Single().SpanId);
        Assert.Equal(1, exporter.PendingSpans);
    }

    [Fact]
    public async Task A_503_on_traces_is_retried_and_the_spans_arrive_once_the_intake_recovers()
    {
        // Given an intake answering 503
        var (harness, exporter) = await StartAsync();
        await using var _ = exporter;
        _datadog.Faults.Unavailable(TimeSpan.FromHours(1));

        // When a flush fails once
        await exporter.ConsumeAsync([Span(1)], TestContext.Current.CancellationToken);
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.True(
            await Eventually.WaitAsync(() => Task.FromResult(Lines(harness, "Will retry the request after interval") == 1), Wait, TestContext.Current.CancellationToken),
            "expected one retry line; the exporter's log:\n" + string.Join("\n", harness.Container.Log.Lines()));

        // And the intake recovers before the retry (full jitter: < 100 ms × 2^1), whose timer is armed after the log line
        _datadog.Faults.Clear();
        var retryBy = _time.GetUtcNow() + TimeSpan.FromSeconds(1);
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(_time.PendingTimersDueBy(retryBy) > 0), Wait, TestContext.Current.CancellationToken));
        _time.Advance(TimeSpan.FromSeconds(1));

        // Then the retry delivers and counts the span as sent, not failed
        Assert.True(await _datadog.Captures.WaitUntilAsync(c => c.Spans().Count == 1, Wait, TestContext.Current.CancellationToken));
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(Counter(harness, "otelcol_exporter_sent_spans") == 1), Wait, TestContext.Current.CancellationToken));
        Assert.Equal(0, Counter(harness, "otelcol_exporter_send_failed_spans"));
    }

    [Fact]
    public async Task Traces_are_dropped_after_4_retries_when_the_intake_stays_down()
    {
        // Given an intake answering 503 for good
        var (harness, exporter) = await StartAsync();
        await using var _ = exporter;
        _datadog.Faults.Unavailable(TimeSpan.FromHours(1));
        await exporter.ConsumeAsync([Span(1), Span(2), Span(3)], TestContext.Current.CancellationToken);
        _time.Advance(TimeSpan.FromSeconds(5));

        // When the clock keeps moving past every retry's backoff (each at most 10 s; a fired backoff may start the next
        // attempt within the same step, so the test advances until the outcome rather than counting steps)
        Assert.True(await Eventually.WaitAsync(
            () =>
            {
                _time.Advance(TimeSpan.FromSeconds(10));
                return Task.FromResult(Counter(harness, "otelcol_exporter_send_failed_spans") == 3);
            },
            Wait,
            TestContext.Current.CancellationToken));

        // Then after the 5th attempt the payload is dropped and its spans counted as failed, with no 5th retry
        Assert.Equal(4, Lines(harness, "Will retry the request after interval"));
        Assert.Equal(1, Lines(harness, "Exporting failed. Dropping data."));
        Assert.Empty(_datadog.Captures.Spans());
    }

    [Fact]
    public async Task A_503_on_metrics_is_retried_after_retry_on_failure_initial_interval()
    {
        // Given the metrics exporter with the default retry_on_failure and an intake answering 503
        var (harness, exporter) = await StartAsync("metrics");
        await using var _ = exporter;
        _datadog.Faults.Unavailable(TimeSpan.FromHours(1));

        // When a gauge is exported and the first attempt fails
        await exporter.ConsumeAsync([new MetricPoint { Name = "queue.depth", Value = 7, TimeUnixNano = 1_700_000_000_000_000_000 }], TestContext.Current.CancellationToken);
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(Lines(harness, "Will retry the request after interval") == 1), Wait, TestContext.Current.CancellationToken));
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(_time.PendingTimers == 2), Wait, TestContext.Current.CancellationToken)); // trace flush timer + the backoff
        _datadog.Faults.Clear();

        // Then no retry happens before 5 s × (1 − 0.5) and the point arrives once 5 s × (1 + 0.5) (+1 ms rounding) passed
        _time.Advance(TimeSpan.FromSeconds(2.4));
        Assert.Empty(_datadog.Captures.MetricsNamed("queue.depth"));
        _time.Advance(TimeSpan.FromSeconds(5.2));
        Assert.True(await _datadog.Captures.WaitUntilAsync(c => c.MetricsNamed("queue.depth").Count == 1, Wait, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_403_on_metrics_is_permanent_and_not_retried()
    {
        // Given an intake refusing the key for data (403 like a revoked key; clientutil: 400/403/404/413 are permanent)
        var (harness, exporter) = await StartAsync("metrics", "sending_queue: {enabled: false}");
        await using var _ = exporter;
        await using var wrong = new DatadogBackendBuilder().WithApiKey("fedcba9876543210fedcba9876543210").Build();
        await wrong.StartAsync(TestContext.Current.CancellationToken);
        harness.Egress.Map("api.datadoghq.com", wrong.BaseAddress);

        // When a gauge is exported (no queue: the caller gets the outcome)
        await Assert.ThrowsAnyAsync<Exception>(async () => await exporter.ConsumeAsync([new MetricPoint { Name = "queue.depth", Value = 7 }], TestContext.Current.CancellationToken));

        // Then it was dropped at once, without a retry
        Assert.Equal(0, Lines(harness, "Will retry the request after interval"));
        Assert.Equal(1, Lines(harness, "Exporting failed. Dropping data."));
        Assert.Equal(1, Counter(harness, "otelcol_exporter_send_failed_metric_points"));
    }

    [Fact]
    public async Task Histograms_are_sent_as_sketches_by_default_with_count_and_sum()
    {
        // Given the default metrics.histograms (mode distributions, no aggregation metrics)
        var (_, exporter) = await StartAsync("metrics");
        await using var _ = exporter;

        // When a delta histogram of 10 observations summing 2.5 is exported
        await exporter.ConsumeAsync([Histogram(10, 2.5, [4, 5, 1], 1_700_000_000_000_000_000)], TestContext.Current.CancellationToken);

        // Then the intake got one sketch (at /api/beta/sketches) with that count and sum, and no .bucket/.count/.sum series
        Assert.True(await _datadog.Captures.WaitUntilAsync(c => c.MetricsNamed("http.duration").Count == 1, Wait, TestContext.Current.CancellationToken));
        var sketch = Assert.Single(_datadog.Captures.MetricsNamed("http.duration"));
        Assert.Equal(CapturedMetricType.Sketch, sketch.Type);
        var point = Assert.Single(sketch.Points);
        Assert.Equal(10UL, point.Count);
        Assert.Equal(2.5, point.Value);
        Assert.DoesNotContain(_datadog.Captures.Metrics(), m => m.Name.StartsWith("http.duration.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Counters_mode_sends_a_count_per_bucket_with_its_bounds_and_aggregation_metrics_on_request()
    {
        // Given mode counters with send_aggregation_metrics (no queue: the two points are sent in order)
        var (_, exporter) = await StartAsync("metrics", "metrics: {histograms: {mode: counters, send_aggregation_metrics: true}}\nsending_queue: {enabled: false}");
        await using var _ = exporter;

        // When a cumulative histogram is exported twice (the first point only seeds the delta)
        await exporter.ConsumeAsync([Histogram(10, 2.5, [4, 5, 1], 1_700_000_000_000_000_000, AggregationTemporality.Cumulative)], TestContext.Current.CancellationToken);
        await exporter.ConsumeAsync([Histogram(16, 4.0, [5, 9, 2], 1_700_000_010_000_000_000, AggregationTemporality.Cumulative)], TestContext.Current.CancellationToken);

        // Then three COUNT .bucket series carry the deltas with lower_bound/upper_bound tags, plus .count and .sum, and no sketch
        Assert.True(await _datadog.Captures.WaitUntilAsync(c => c.MetricsNamed("http.duration.bucket").Count == 3, Wait, TestContext.Current.CancellationToken));
        var buckets = _datadog.Captures.MetricsNamed("http.duration.bucket")
            .Select(m => string.Join(',', m.Points[0].Attributes.Where(a => a.Key.EndsWith("_bound", StringComparison.Ordinal)).Select(a => a.Key + "=" + a.Value.StringValue)) + " " + m.Points[0].Value)
            .Order(StringComparer.Ordinal);
        Assert.Equal(["lower_bound=-inf,upper_bound=0.1 1", "lower_bound=0.1,upper_bound=0.5 4", "lower_bound=0.5,upper_bound=inf 1"], buckets);
        Assert.All(_datadog.Captures.MetricsNamed("http.duration.bucket"), m => Assert.Equal(CapturedMetricType.Count, m.Type));
        Assert.True(await _datadog.Captures.WaitUntilAsync(c => c.MetricsNamed("http.duration.sum").Count == 1, Wait, TestContext.Current.CancellationToken));
        Assert.Equal(6.0, Assert.Single(_datadog.Captures.MetricsNamed("http.duration.count")).Points[0].Value);
        Assert.Equal(1.5, Assert.Single(_datadog.Captures.MetricsNamed("http.duration.sum")).Points[0].Value);
        Assert.Empty(_datadog.Captures.MetricsNamed("http.duration"));
    }

    [Theory]
    [InlineData("metrics: {histograms: {mode: nobuckets}}", "'nobuckets' mode and 'send_aggregation_metrics' set to false will send no histogram metrics")]
    [InlineData("metrics: {histograms: {mode: buckets}}", "invalid histogram mode \"buckets\"")]
    public async Task Histogram_settings_upstream_refuses_fail_the_config(string settings, string expected)
    {
        var harness = await ComponentHarness.StartAsync();

        var error = Assert.Throws<CollectorStartException>(() => new DatadogExporterFactory().Create(harness.Context("datadog", ComponentKind.Exporter, $"api: {{key: \"{Key}\"}}\n{settings}", "metrics")));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
