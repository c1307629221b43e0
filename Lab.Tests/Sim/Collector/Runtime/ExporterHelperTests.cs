using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OtelLab.Sim.Collector.Pipeline;
using OtelLab.Sim.Collector.Runtime;
using OtelLab.Sim.Collector.Traces;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Sim.Collector.Runtime;

/// <summary>exporterhelper semantics through the otlphttp exporter (collector.md "exporterhelper (core): queue and retry").</summary>
[Trait("Category", "Component")]
public sealed class ExporterHelperTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private static string Config(Uri backend, string queue = "") => $$$"""
        receivers:
          otlp:
            protocols: {http: {endpoint: "0.0.0.0:4318"}}
        exporters:
          otlphttp:
            endpoint: {{{backend}}}
            compression: none
        {{{queue}}}
        service:
          telemetry: {metrics: {level: none}}
          pipelines:
            traces: {receivers: [otlp], exporters: [otlphttp]}
        """;

    private static IReadOnlyList<TraceSpan> Spans(int count) =>
        [.. Enumerable.Range(1, count).Select(i => new TraceSpan { TraceId = new TraceId(1, (ulong)i), SpanId = (ulong)i, Name = "op" })];

    private static async Task<(CollectorInstance Collector, ITraceConsumer Exporter)> StartAsync(int host, StubOtlpServer backend, ManualTimeProvider time, string queue = "")
    {
        var context = CollectorInstance.CreateContext(CollectorTestKit.Address(host), time: time);
        var collector = await CollectorInstance.StartAsync(Config(backend.Url, queue), context, TestContext.Current.CancellationToken);
        return (collector, (ITraceConsumer)collector.Service.Find("otlphttp", "traces")!);
    }

    private static double Counter(CollectorInstance c, string name) =>
        c.Telemetry.Counter(name, "").Value(new KeyValuePair<string, string>("exporter", "otlphttp"));

    [Fact]
    public async Task A_503_is_retried_after_the_backoff_and_then_counted_as_sent()
    {
        // Given a backend answering 503 once, and a collector on a manual clock
        var ct = TestContext.Current.CancellationToken;
        await using var backend = await StubOtlpServer.StartAsync(CollectorTestKit.Address(21), 4318);
        backend.ThenStatus(503);
        var time = new ManualTimeProvider();
        var (collector, exporter) = await StartAsync(22, backend, time);
        await using var _ = collector;
        var timersBefore = time.PendingTimers;

        // When a request of 3 spans is exported
        await exporter.ConsumeAsync(Spans(3), ct);

        // Then the helper logs the retry and waits for its backoff (initial 5s ± 50%) on the clock. The log line is
        // written just before the backoff's timer exists, so the clock moves only once that timer is pending
        // (advancing in between left the timer due 5 s after the advance: CI failure of 2026-11-24).
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(collector.Log.Lines().Any(l => l.Contains("Will retry the request after interval", StringComparison.Ordinal))), Wait, ct));
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(time.PendingTimers > timersBefore), Wait, ct));
        var backoff = time.NextTimerDue!.Value - time.GetUtcNow();
        Assert.InRange(backoff, TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(7.501));
        Assert.Equal(0, Counter(collector, "otelcol_exporter_sent_spans"));

        // (the clock moves exactly to the end of the backoff: the retry can start within the advance, and its 5 s
        // timeout, armed then, would also come due inside a longer advance, e.g. 8 s after a backoff of 3 s or less)
        time.Advance(backoff);

        // And the second attempt succeeds: sent once per request, nothing failed
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(Counter(collector, "otelcol_exporter_sent_spans") == 3), Wait, ct));
        Assert.Equal(2, backend.Requests);
        Assert.Equal(0, Counter(collector, "otelcol_exporter_send_failed_spans"));
    }

    [Theory]
    [InlineData(400)]
    [InlineData(500)]
    public async Task A_non_retryable_status_drops_the_data_and_counts_send_failed(int status)
    {
        // Given a backend answering with a permanent status (500 included, as upstream)
        var ct = TestContext.Current.CancellationToken;
        await using var backend = await StubOtlpServer.StartAsync(CollectorTestKit.Address(status == 400 ? 23 : 24), 4318);
        backend.ThenStatus(status);
        var (collector, exporter) = await StartAsync(status == 400 ? 25 : 26, backend, new ManualTimeProvider());
        await using var _ = collector;

        // When 4 spans are exported
        await exporter.ConsumeAsync(Spans(4), ct);

        // Then they are counted as send_failed after one attempt, with upstream's log line
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(Counter(collector, "otelcol_exporter_send_failed_spans") == 4), Wait, ct));
        Assert.Equal(1, backend.Requests);
        Assert.Contains(collector.Log.Lines(), l => l.Contains("Exporting failed. Dropping data.", StringComparison.Ordinal) && l.Contains($"HTTP Status Code {status}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_full_sending_queue_refuses_and_counts_enqueue_failed()
    {
        // Given one consumer blocked on a slow backend and a queue of one request
        var ct = TestContext.Current.CancellationToken;
        await using var backend = await StubOtlpServer.StartAsync(CollectorTestKit.Address(27), 4318);
        var release = new TaskCompletionSource();
        backend.Then(async _ => await release.Task);
        var (collector, exporter) = await StartAsync(28, backend, new ManualTimeProvider(), "    sending_queue: {num_consumers: 1, queue_size: 1}");
        await using var _ = collector;
        await exporter.ConsumeAsync(Spans(1), ct);
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(backend.Requests == 1), Wait, ct));

        // When a second request fills the queue and a third arrives
        await exporter.ConsumeAsync(Spans(2), ct);
        var refused = await Assert.ThrowsAsync<ConsumerRefusedException>(async () => await exporter.ConsumeAsync(Spans(5), ct));

        // Then the third is refused with "sending queue is full", counted as enqueue_failed, and the gauges show the queue
        Assert.Equal("sending queue is full", refused.Message);
        Assert.Equal(5, Counter(collector, "otelcol_exporter_enqueue_failed_spans"));
        Assert.Equal(1, collector.Telemetry.Gauge("otelcol_exporter_queue_size", "").ValueOf(new("data_type", "traces"), new("exporter", "otlphttp")));
        Assert.Equal(1, collector.Telemetry.Gauge("otelcol_exporter_queue_capacity", "").ValueOf(new("data_type", "traces"), new("exporter", "otlphttp")));
        release.SetResult();
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(Counter(collector, "otelcol_exporter_sent_spans") == 3), Wait, ct));
    }

    [Fact]
    public async Task Partial_success_is_a_warning_and_the_request_counts_as_sent()
    {
        // Given a backend that accepts the request but rejects 2 spans in partial_success
        var ct = TestContext.Current.CancellationToken;
        await using var backend = await StubOtlpServer.StartAsync(CollectorTestKit.Address(29), 4318);
        backend.Then(async context =>
        {
            var body = new ExportTraceServiceResponse { PartialSuccess = new ExportTracePartialSuccess { RejectedSpans = 2, ErrorMessage = "2 spans too old" } };
            context.Response.ContentType = "application/x-protobuf";
            await context.Response.Body.WriteAsync(body.ToByteArray(), context.RequestAborted);
        });
        var (collector, exporter) = await StartAsync(30, backend, new ManualTimeProvider());
        await using var _ = collector;

        // When 3 spans are exported
        await exporter.ConsumeAsync(Spans(3), ct);

        // Then all 3 count as sent (the silent loss), with upstream's warning naming the rejected count
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(Counter(collector, "otelcol_exporter_sent_spans") == 3), Wait, ct));
        var warning = Assert.Single(collector.Log.Lines(), l => l.Contains("\twarn\tPartial success response", StringComparison.Ordinal));
        Assert.Contains("\"dropped_spans\": 2", warning, StringComparison.Ordinal);
        Assert.Contains("2 spans too old", warning, StringComparison.Ordinal);
        Assert.Equal(0, Counter(collector, "otelcol_exporter_send_failed_spans"));
    }

    [Fact]
    public async Task A_shutdown_deadline_cancels_the_send_in_flight_and_drops_the_queue_counting_what_it_dropped()
    {
        // Given a backend that never answers, one consumer stuck on the first request and two more queued
        var ct = TestContext.Current.CancellationToken;
        await using var backend = await StubOtlpServer.StartAsync(CollectorTestKit.Address(31), 4318);
        backend.Then(async context => await Task.Delay(Timeout.Infinite, context.RequestAborted));
        var (collector, exporter) = await StartAsync(32, backend, new ManualTimeProvider(), "    sending_queue: {num_consumers: 1, queue_size: 5}");
        await using var _ = collector;
        await exporter.ConsumeAsync(Spans(1), ct);
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(backend.Requests == 1), Wait, ct));
        await exporter.ConsumeAsync(Spans(2), ct);
        await exporter.ConsumeAsync(Spans(3), ct);
        var droppedBefore = OtelLab.Sim.Collector.ShutdownLoss.Items;

        // When the collector is stopped with a deadline that ends before anything can drain
        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var stopped = collector.StopAsync(deadline.Token);

        // Then the stop ends soon after the deadline (not at the 5 s timeout, which the manual clock never reaches), and all
        // six spans are logged as dropped at shutdown and counted in the process's shutdown loss
        await stopped.WaitAsync(Wait, ct);
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(DroppedItems(collector) == 6), Wait, ct), string.Join("\n", collector.Log.Lines()));
        Assert.True(collector.Log.Lines().Any(l => l.Contains("interrupted due to shutdown", StringComparison.Ordinal)), string.Join("\n", collector.Log.Lines()));
        Assert.True(OtelLab.Sim.Collector.ShutdownLoss.Items - droppedBefore >= 6);
        Assert.Equal(0, Counter(collector, "otelcol_exporter_sent_spans"));
    }

    private static int DroppedItems(CollectorInstance collector) => collector.Log.Lines()
        .Where(l => l.Contains("Dropping data", StringComparison.Ordinal))
        .Sum(l => int.Parse(System.Text.RegularExpressions.Regex.Match(l, "\"dropped_items\": (\\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
}
