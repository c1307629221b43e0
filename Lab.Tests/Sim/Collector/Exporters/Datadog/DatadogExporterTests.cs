using OtelLab.Backends.Datadog;
using OtelLab.Model.Collector;
using OtelLab.Sim.Collector.Exporters.Datadog;
using OtelLab.Sim.Collector.Metrics;
using OtelLab.Sim.Collector.Pipeline;
using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Tests.Sim.Collector.Exporters.Datadog;

/// <summary>The lab's datadog exporter against the mock Datadog intake (backends.md), through the lab's egress.</summary>
[Trait("Category", "Component")]
public sealed class DatadogExporterTests : IAsyncLifetime
{
    private const string Key = "0123456789abcdef0123456789abcdef";
    private const string WrongKey = "fedcba9876543210fedcba9876543210";

    private readonly DatadogBackend _datadog = new DatadogBackendBuilder().WithApiKey(Key).Build();

    public async ValueTask InitializeAsync() => await _datadog.StartAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync() => await _datadog.DisposeAsync();

    private async Task<(ComponentHarness, DatadogExporter)> CreateAsync(string key, string extra = "", bool mapEgress = true, string signal = "traces")
    {
        var harness = await ComponentHarness.StartAsync();
        if (mapEgress)
        {
            // api.site datadoghq.com → https://api.datadoghq.com and https://trace.agent.datadoghq.com → the mock.
            harness.Egress.Map("api.datadoghq.com", _datadog.BaseAddress);
            harness.Egress.Map("trace.agent.datadoghq.com", _datadog.BaseAddress);
        }

        var exporter = (DatadogExporter)new DatadogExporterFactory().Create(harness.Context("datadog", ComponentKind.Exporter, $"api: {{key: \"{key}\"{extra}}}", signal));
        return (harness, exporter);
    }

    private static TraceSpan Span(ulong spanId, SpanStatusCode status = SpanStatusCode.Unset) => new()
    {
        TraceId = TraceId.ParseHex("0af7651916cd43dd8448eb211c80319c"),
        SpanId = spanId,
        ParentSpanId = spanId == 1 ? 0UL : 1UL,
        Name = spanId == 1 ? "GET /checkout" : "charge",
        Status = status,
        StartTimeUnixNano = 1_700_000_000_000_000_000,
        EndTimeUnixNano = 1_700_000_000_250_000_000,
        Resource = new TelemetryResource(new Dictionary<string, AttributeValue> { ["service.name"] = "payments", ["k8s.namespace.name"] = "shop" }),
    };

    [Fact]
    public async Task A_valid_key_validates_and_the_mock_accepts_its_AgentPayload_traces_with_the_full_trace_id()
    {
        // Given the exporter with the key the mock accepts
        var (harness, exporter) = await CreateAsync(Key);
        await using var _ = exporter;

        // When it starts and exports a two-span trace with an error
        await exporter.StartAsync(TestContext.Current.CancellationToken);
        await exporter.ConsumeAsync([Span(1), Span(2, SpanStatusCode.Error)], TestContext.Current.CancellationToken);
        await exporter.FlushTracesAsync(); // the trace writer's 5 s flush, now

        // Then the key was validated and the mock holds both spans of the 128-bit trace, by service, with the error
        Assert.True(exporter.KeyValid);
        var spans = _datadog.Captures.SpansOfTrace("0af7651916cd43dd8448eb211c80319c");
        Assert.Equal(2, spans.Count);
        Assert.All(spans, s => Assert.Equal("payments", s.Resource.ServiceName));
        Assert.Equal(["GET /checkout", "charge"], spans.OrderBy(s => s.SpanId).Select(s => s.DatadogResource));
        Assert.Equal(1, spans.Count(s => s.Status == OtelLab.Backends.Capture.CapturedStatus.Error));
        Assert.Equal(250_000_000, spans[0].DurationNanos);
        Assert.Empty(_datadog.Captures.Rejections());
        Assert.Contains(harness.Container.Log.Lines(), l => l.EndsWith("API key validation successful.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Metrics_arrive_as_MetricPayload_series_with_cumulative_counters_turned_into_counts()
    {
        var (_, exporter) = await CreateAsync(Key, signal: "metrics");
        await using var _ = exporter;
        await exporter.StartAsync(TestContext.Current.CancellationToken);
        MetricPoint Counter(double v, ulong at) => new()
        {
            Name = "http.requests", Kind = MetricKind.Sum, IsMonotonic = true, Temporality = AggregationTemporality.Cumulative,
            Value = v, TimeUnixNano = at, Attributes = new Dictionary<string, AttributeValue> { ["route"] = "/pay" },
        };

        await exporter.ConsumeAsync([Counter(10, 1_700_000_000_000_000_000), new MetricPoint { Name = "queue.depth", Value = 7, TimeUnixNano = 1_700_000_000_000_000_000 }], TestContext.Current.CancellationToken);
        // The queue's consumers run concurrently: let the first request land before the second (the delta needs the order).
        Assert.True(await _datadog.Captures.WaitUntilAsync(c => c.MetricsNamed("queue.depth").Count == 1, TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken));
        await exporter.ConsumeAsync([Counter(25, 1_700_000_015_000_000_000)], TestContext.Current.CancellationToken);
        Assert.True(await _datadog.Captures.WaitUntilAsync(c => c.MetricsNamed("http.requests").Count == 1 && c.MetricsNamed("queue.depth").Count == 1, TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken));

        var counts = _datadog.Captures.MetricsNamed("http.requests");
        Assert.Equal(15.0, Assert.Single(Assert.Single(counts).Points).Value); // the first cumulative point only seeds the delta
        Assert.Equal(7.0, Assert.Single(Assert.Single(_datadog.Captures.MetricsNamed("queue.depth")).Points).Value);
    }

    [Fact]
    public async Task A_wrong_key_logs_the_failed_validation_starts_anyway_and_the_mock_rejects_the_data()
    {
        // Given a key the mock does not know and the default fail_on_invalid_key: false
        var (harness, exporter) = await CreateAsync(WrongKey);
        await using var _ = exporter;

        // When it starts and exports
        await exporter.StartAsync(TestContext.Current.CancellationToken);
        await exporter.ConsumeAsync([Span(1)], TestContext.Current.CancellationToken);
        await exporter.FlushTracesAsync();

        // Then validation failed (logged, not fatal), the traces were refused and counted failed, and the key is never in the log
        Assert.False(exporter.KeyValid);
        Assert.Contains(harness.Container.Log.Lines(), l => l.Contains("\twarn\t", StringComparison.Ordinal) && l.EndsWith("API Key validation failed", StringComparison.Ordinal));
        Assert.Contains(harness.Container.Log.Lines(), l => l.Contains("Exporting failed. Dropping data.", StringComparison.Ordinal) && l.Contains("403", StringComparison.Ordinal));
        Assert.Empty(_datadog.Captures.Spans());
        Assert.NotEmpty(_datadog.Captures.Rejections());
        Assert.Contains("otelcol_exporter_send_failed_spans{exporter=\"datadog\"} 1", harness.Telemetry.RenderPrometheus(), StringComparison.Ordinal);
        Assert.DoesNotContain(harness.Container.Log.Lines(), l => l.Contains(WrongKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Fail_on_invalid_key_aborts_the_start_with_the_key_masked()
    {
        var (_, exporter) = await CreateAsync(WrongKey, ", fail_on_invalid_key: true");
        await using var _ = exporter;

        var error = await Assert.ThrowsAsync<CollectorStartException>(() => exporter.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("API Key validation failed", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(WrongKey, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_an_egress_mapping_the_site_is_unreachable_and_nothing_leaves_the_lab()
    {
        var (harness, exporter) = await CreateAsync(Key, mapEgress: false);
        await using var _ = exporter;

        await exporter.StartAsync(TestContext.Current.CancellationToken);
        await exporter.ConsumeAsync([Span(1)], TestContext.Current.CancellationToken);
        await exporter.FlushTracesAsync(); // a network error: retried 4 times with sub-second jitter, then dropped

        Assert.Null(exporter.KeyValid);
        Assert.Contains(harness.Container.Log.Lines(), l => l.Contains("lookup trace.agent.datadoghq.com: no such host", StringComparison.Ordinal));
        Assert.Empty(_datadog.Captures.Spans());
    }

    [Theory]
    [InlineData("", "api.key is not set")]
    [InlineData("not-hex-key-12345", "api.key contains invalid characters")]
    public async Task Invalid_keys_fail_the_config_without_showing_the_key(string key, string expected)
    {
        var harness = await ComponentHarness.StartAsync();

        var error = Assert.Throws<CollectorStartException>(() => new DatadogExporterFactory().Create(harness.Context("datadog", ComponentKind.Exporter, $"api: {{key: \"{key}\"}}")));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        if (key.Length > 0)
        {
            Assert.DoesNotContain(key, error.Message, StringComparison.Ordinal);
        }
    }
}
