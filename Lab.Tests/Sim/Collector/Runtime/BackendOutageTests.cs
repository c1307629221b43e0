using OtelLab.Backends.Dynatrace;
using OtelLab.Sim.Collector.Pipeline;
using OtelLab.Sim.Collector.Runtime;
using OtelLab.Sim.Collector.Traces;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Sim.Collector.Runtime;

/// <summary>
/// Backend faults: the real collector runtime's otlphttp exporter against the mock Dynatrace with its outage
/// controls, both on one manual clock, so a 30 s outage takes a second of wall time. Upstream facts (upstream exporter/otlphttpexporter otlp.go and exporterhelper
/// retry_sender.go / queue_sender.go): 503 is retryable and retried with backoff up to max_elapsed_time 5m; a full
/// queue refuses the request ("sending queue is full", counted in enqueue_failed); 400 and 500 are permanent, the
/// data is dropped and counted in send_failed.
/// </summary>
[Trait("Category", "Component")]
public sealed class BackendOutageTests
{
    private const string Token = "dt0c01.OUTAGETESTPUBLICPARTXX.SECRETSECRETSECRETSECRET";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    private static string Config(Uri dynatrace, string queue) => $$$"""
        receivers:
          otlp:
            protocols: {http: {endpoint: "0.0.0.0:4318"}}
        exporters:
          otlphttp:
            endpoint: {{{new Uri(dynatrace, "api/v2/otlp")}}}
            headers: {Authorization: "Api-Token {{{Token}}}"}
        {{{queue}}}
        service:
          telemetry: {metrics: {level: none}}
          pipelines:
            traces: {receivers: [otlp], exporters: [otlphttp]}
        """;

    /// <summary>A request of <paramref name="count"/> spans, each in its own trace (request number × 1000 + i).</summary>
    private static IReadOnlyList<TraceSpan> Request(int number, int count) =>
        [.. Enumerable.Range(1, count).Select(i => new TraceSpan { TraceId = new TraceId(7, (ulong)(number * 1000 + i)), SpanId = (ulong)(number * 1000 + i), Name = "op" })];

    private sealed class Rig(DynatraceBackend dynatrace, CollectorInstance collector, ManualTimeProvider time) : IAsyncDisposable
    {
        public DynatraceBackend Dynatrace { get; } = dynatrace;

        public CollectorInstance Collector { get; } = collector;

        public ManualTimeProvider Time { get; } = time;

        public ITraceConsumer Exporter => (ITraceConsumer)Collector.Service.Find("otlphttp", "traces")!;

        public double Counter(string name) => Collector.Telemetry.Counter(name, "").Value(new KeyValuePair<string, string>("exporter", "otlphttp"));

        public int Retries => Collector.Log.Lines().Count(l => l.Contains("Will retry the request after interval", StringComparison.Ordinal));

        /// <summary>
        /// Moves the shared clock on a second every 100 ms of wall time until <paramref name="done"/> holds (the retries'
        /// backoff timers fire on it); the wall time between steps is for the requests those timers start, on real
        /// loopback sockets, to complete (their 30 s timeout is 3 s of wall time at this pace).
        /// </summary>
        public async Task<bool> AdvanceUntilAsync(Func<bool> done, CancellationToken ct)
        {
            var wall = System.Diagnostics.Stopwatch.StartNew();
            while (!done())
            {
                if (wall.Elapsed > Wait)
                {
                    return false;
                }

                Time.Advance(TimeSpan.FromSeconds(1));
                await Task.Delay(TimeSpan.FromMilliseconds(100), ct);
            }

            return true;
        }

        public async ValueTask DisposeAsync()
        {
            await Collector.DisposeAsync();
            await Dynatrace.DisposeAsync();
        }
    }

    private static async Task<Rig> StartAsync(int host, string queue, CancellationToken ct)
    {
        var time = new ManualTimeProvider();
        var dynatrace = new DynatraceBackendBuilder().WithToken(Token).WithTimeProvider(time).Build();
        await dynatrace.StartAsync(ct);
        try
        {
            var context = CollectorInstance.CreateContext(CollectorTestKit.Address(host), time: time);
            var collector = await CollectorInstance.StartAsync(Config(dynatrace.BaseAddress, queue), context, ct);
            return new Rig(dynatrace, collector, time);
        }
        catch
        {
            await dynatrace.DisposeAsync();
            throw;
        }
    }

    [Fact]
    public async Task A_30s_outage_within_queue_capacity_is_absorbed_by_the_queue_and_retries_with_no_loss()
    {
        // Given Dynatrace down with 503 for 30 s, and a collector with the default queue (10 consumers, 1000 requests)
        var ct = TestContext.Current.CancellationToken;
        await using var rig = await StartAsync(171, "", ct);
        var start = rig.Time.GetUtcNow();
        rig.Dynatrace.Faults.Unavailable(TimeSpan.FromSeconds(30));

        // When 60 requests of 4 spans arrive at the start of the outage
        for (var r = 1; r <= 60; r++)
        {
            await rig.Exporter.ConsumeAsync(Request(r, 4), ct);
        }

        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(rig.Retries >= 10), Wait, ct), "the consumers did not meet the outage");
        Assert.Equal(0, rig.Counter("otelcol_exporter_sent_spans"));

        // And the clock runs through the outage and the retries' backoff
        Assert.True(await rig.AdvanceUntilAsync(() => rig.Counter("otelcol_exporter_sent_spans") >= 240, ct),
            $"sent {rig.Counter("otelcol_exporter_sent_spans")} of 240 by {rig.Time.GetUtcNow()}");

        // Then sent == generated, nothing failed or refused, and Dynatrace stored every span once
        Assert.Equal(240, rig.Counter("otelcol_exporter_sent_spans"));
        Assert.Equal(0, rig.Counter("otelcol_exporter_send_failed_spans"));
        Assert.Equal(0, rig.Counter("otelcol_exporter_enqueue_failed_spans"));
        Assert.Equal(240, rig.Dynatrace.Captures.Spans().Select(s => s.SpanId).Distinct().Count());
        Assert.True(rig.Time.GetUtcNow() - start >= TimeSpan.FromSeconds(30), "the data must have waited out the outage");
    }

    [Fact]
    public async Task Beyond_queue_capacity_enqueue_failed_counts_exactly_the_overflow_and_the_rest_is_delivered()
    {
        // Given a 30 s outage and a queue of 10 requests behind 2 consumers (capacity 12 requests: 2 in retry + 10 queued)
        var ct = TestContext.Current.CancellationToken;
        await using var rig = await StartAsync(172, "    sending_queue: {num_consumers: 2, queue_size: 10}", ct);
        rig.Dynatrace.Faults.Unavailable(TimeSpan.FromSeconds(30));
        await rig.Exporter.ConsumeAsync(Request(1, 3), ct);
        await rig.Exporter.ConsumeAsync(Request(2, 3), ct);
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(rig.Retries >= 2), Wait, ct), "both consumers should be retrying");

        // When 15 more requests of 3 spans arrive during the outage
        var refused = 0;
        for (var r = 3; r <= 17; r++)
        {
            try
            {
                await rig.Exporter.ConsumeAsync(Request(r, 3), ct);
            }
            catch (ConsumerRefusedException e) when (e.Message == "sending queue is full")
            {
                refused++;
            }
        }

        // Then exactly the 5 requests over capacity are refused and counted (15 spans), and once the outage ends the
        // 12 accepted requests (36 spans) are delivered: sent + enqueue_failed == generated, send_failed 0
        Assert.Equal(5, refused);
        Assert.Equal(15, rig.Counter("otelcol_exporter_enqueue_failed_spans"));
        Assert.True(await rig.AdvanceUntilAsync(() => rig.Counter("otelcol_exporter_sent_spans") >= 36, ct));
        Assert.Equal(36, rig.Counter("otelcol_exporter_sent_spans"));
        Assert.Equal(0, rig.Counter("otelcol_exporter_send_failed_spans"));
        Assert.Equal(36, rig.Dynatrace.Captures.Spans().Select(s => s.SpanId).Distinct().Count());
    }

    [Theory]
    [InlineData(400)]
    [InlineData(500)]
    public async Task A_400_or_500_from_the_backend_is_a_counted_permanent_drop(int status)
    {
        // Given Dynatrace answering every ingest request with the status for a minute
        var ct = TestContext.Current.CancellationToken;
        await using var rig = await StartAsync(status == 400 ? 173 : 174, "", ct);
        rig.Dynatrace.Faults.Fail(TimeSpan.FromMinutes(1), status);

        // When a request of 5 spans is exported
        await rig.Exporter.ConsumeAsync(Request(1, 5), ct);

        // Then it is dropped after one attempt and counted in send_failed, with upstream's log line, and nothing is stored
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(rig.Counter("otelcol_exporter_send_failed_spans") == 5), Wait, ct));
        Assert.Equal(0, rig.Retries);
        Assert.Equal(0, rig.Counter("otelcol_exporter_sent_spans"));
        Assert.Contains(rig.Collector.Log.Lines(), l => l.Contains("Exporting failed. Dropping data.", StringComparison.Ordinal) && l.Contains($"HTTP Status Code {status}", StringComparison.Ordinal));
        Assert.Empty(rig.Dynatrace.Captures.Spans());

        // And once the fault is cleared, the next request is delivered (the drop was that request's only)
        rig.Dynatrace.Faults.Clear();
        await rig.Exporter.ConsumeAsync(Request(2, 2), ct);
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(rig.Counter("otelcol_exporter_sent_spans") == 2), Wait, ct));
        Assert.Equal(5, rig.Counter("otelcol_exporter_send_failed_spans"));
    }
}
