using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using OtelLab.Sim.Collector.Otlp;
using OtelLab.Sim.Collector.Pipeline;
using OtelLab.Sim.Collector.Processors.MemoryLimiter;
using OtelLab.Sim.Collector.Runtime;
using OtelLab.Sim.Collector.Traces;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Sim.Collector.Runtime;

/// <summary>batch and memory_limiter as upstream (collector.md "batch processor"; memorylimiter.go).</summary>
[Trait("Category", "Component")]
public sealed class ProcessorTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private static IReadOnlyList<TraceSpan> Spans(int count, int offset = 0) =>
        [.. Enumerable.Range(offset + 1, count).Select(i => new TraceSpan { TraceId = new TraceId(7, (ulong)i), SpanId = (ulong)i, Name = "op" })];

    private static async Task<(CollectorInstance, CaptureExporterFactory)> StartAsync(int host, string processor, TimeProvider time, MemoryGauge? memory = null)
    {
        var capture = new CaptureExporterFactory();
        var name = processor.Trim().Split(':')[0];
        var yaml = $$"""
            receivers:
              otlp:
                protocols:
                  http: {endpoint: "0.0.0.0:4318"}
            processors:
            {{processor}}
            exporters:
              nop:
            service:
              telemetry:
                metrics: {level: none}
              pipelines:
                traces: {receivers: [otlp], processors: [{{name}}], exporters: [nop]}
            """;
        var collector = await CollectorInstance.StartAsync(yaml, CollectorInstance.CreateContext(CollectorTestKit.Address(host), time: time),
            new CollectorInstanceOptions { Catalog = CollectorTestKit.CatalogWith(capture), Memory = memory ?? new MemoryGauge() }, TestContext.Current.CancellationToken);
        return (collector, capture);
    }

    [Fact]
    public async Task Batch_sends_on_size_or_timeout_from_its_own_flow_keeping_only_metadata_keys()
    {
        // Given batch with send_batch_size 4, a 1s timeout on a manual clock and metadata_keys [x-tenant]
        var ct = TestContext.Current.CancellationToken;
        var time = new ManualTimeProvider();
        var (collector, capture) = await StartAsync(51, "  batch: {send_batch_size: 4, timeout: 1s, metadata_keys: [x-tenant]}", time);
        await using var _ = collector;
        var batch = (ITraceConsumer)collector.Service.Find("batch", "traces")!;

        // When 6 spans, then 2 more, arrive from a client with an address and a tenant header
        var client = new ClientInfo(IPAddress.Parse("127.0.9.99"), new Dictionary<string, string> { ["x-tenant"] = "acme", ["authorization"] = "secret" });
        using (ClientInfo.Enter(client))
        {
            await batch.ConsumeAsync(Spans(6), ct);
        }

        // Then the 6 go at once (size reached; send_batch_max_size 0 sends all), the 2 only when the timer fires
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(capture.Spans.Count == 6), Wait, ct));
        using (ClientInfo.Enter(client))
        {
            await batch.ConsumeAsync(Spans(2, offset: 6), ct);
        }

        Assert.Equal(6, capture.Spans.Count);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(capture.Spans.Count == 8), Wait, ct));
        Assert.Equal(1, collector.Telemetry.Counter("otelcol_processor_batch_batch_size_trigger_send", "").Value(new KeyValuePair<string, string>("processor", "batch")));
        Assert.Equal(1, collector.Telemetry.Counter("otelcol_processor_batch_timeout_trigger_send", "").Value(new KeyValuePair<string, string>("processor", "batch")));

        // And the exporter saw no connection address and only the metadata key (upstream client.NewContext(Background, Metadata))
        Assert.All(capture.Clients, c =>
        {
            Assert.Null(c!.Address);
            Assert.Equal(new Dictionary<string, string> { ["x-tenant"] = "acme" }, c.Metadata);
        });
    }

    [Fact]
    public async Task Batch_without_metadata_keys_loses_the_client_info()
    {
        var ct = TestContext.Current.CancellationToken;
        var (collector, capture) = await StartAsync(52, "  batch: {send_batch_size: 2}", new ManualTimeProvider());
        await using var _ = collector;
        using (ClientInfo.Enter(new ClientInfo(IPAddress.Parse("127.0.9.98"), new Dictionary<string, string>())))
        {
            await ((ITraceConsumer)collector.Service.Find("batch", "traces")!).ConsumeAsync(Spans(2), ct);
        }

        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(capture.Spans.Count == 2), Wait, ct));
        Assert.All(capture.Clients, Assert.Null);
    }

    [Fact]
    public async Task Memory_limiter_over_the_soft_limit_refuses_and_the_receiver_answers_503()
    {
        // Given limit 100 MiB with a 20 MiB spike (soft limit 80 MiB), and a heap of 90 MiB at the next check
        var ct = TestContext.Current.CancellationToken;
        var time = new ManualTimeProvider();
        var heap = new MemoryGauge();
        var (collector, capture) = await StartAsync(53, "  memory_limiter: {check_interval: 1s, limit_mib: 100, spike_limit_mib: 20}", time, heap);
        await using var _ = collector;
        var limiter = (MemoryLimiterProcessor)collector.Service.Find("memory_limiter", "traces")!;
        limiter.Check();
        Assert.False(limiter.Refusing);

        // When the heap rises and the ticker checks it
        heap.UsedMiB = 90;
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(limiter.Refusing);

        // Then an OTLP/HTTP push is refused with 503, counted as refused, with upstream's log line
        using var http = new HttpClient();
        using var body = new ByteArrayContent(OtlpConverter.FromSpans(Spans(3)).ToByteArray());
        body.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        using var response = await http.PostAsync($"http://{CollectorTestKit.Address(53)}:4318/v1/traces", body, ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(3, collector.Telemetry.Counter("otelcol_receiver_refused_spans", "").Value(new("receiver", "otlp"), new("transport", "http")));
        Assert.Empty(capture.Spans);
        Assert.Contains(collector.Log.Lines(), l => l.Contains("\twarn\tMemory usage is above soft limit. Refusing data.", StringComparison.Ordinal));

        // And once the heap is back under the soft limit data flows again
        heap.UsedMiB = 50;
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(limiter.Refusing);
    }
}
