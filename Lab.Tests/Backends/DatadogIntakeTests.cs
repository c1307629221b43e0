using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Google.Protobuf;
using OtelLab.Backends.Capture;
using OtelLab.Backends.Datadog;
using OtelLab.Backends.Datadog.Protocol;

namespace OtelLab.Tests.Backends;

/// <summary>The mock Datadog's intake paths as the collector's datadog exporter uses them (backends.md).</summary>
[Trait("Category", "Component")]
public sealed class DatadogIntakeTests : IAsyncLifetime
{
    private const string Key = "abcdefabcdefabcdefabcdefabcdef12";

    private readonly DatadogBackend _datadog = new DatadogBackendBuilder().WithApiKey(Key).Build();
    private HttpClient _http = null!;

    public async ValueTask InitializeAsync()
    {
        await _datadog.StartAsync(TestContext.Current.CancellationToken);
        _http = new HttpClient { BaseAddress = _datadog.BaseAddress };
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _datadog.DisposeAsync();
    }

    [Fact]
    public async Task Validate_answers_valid_for_a_known_key_and_forbidden_otherwise()
    {
        using var ok = await Send(HttpMethod.Get, "api/v1/validate", null, Key);
        using var bad = await Send(HttpMethod.Get, "api/v1/validate", null, "00000000000000000000000000000000");

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("""{"valid":true}""", await ok.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.Forbidden, bad.StatusCode);
        Assert.Equal("""{"errors":["Forbidden"]}""", await bad.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Protobuf_series_with_deflate_is_accepted_with_202_and_decoded()
    {
        // Given a MetricPayload as the exporter sends it: protobuf, zlib "deflate"
        var payload = new MetricPayload();
        var series = new MetricPayload.Types.MetricSeries { Metric = "system.cpu.user", Type = MetricPayload.Types.MetricType.Gauge, Unit = "percent" };
        series.Resources.Add(new MetricPayload.Types.Resource { Type = "host", Name = "node-7" });
        series.Tags.Add("service:checkout");
        series.Tags.Add("env:lab");
        series.Points.Add(new MetricPayload.Types.MetricPoint { Timestamp = 1_700_000_000, Value = 12.5 });
        series.Points.Add(new MetricPayload.Types.MetricPoint { Timestamp = 1_700_000_010, Value = 13.5 });
        payload.Series.Add(series);

        // When it is posted
        using var response = await Send(HttpMethod.Post, "api/v2/series", Compressed(payload.ToByteArray(), "deflate", "application/x-protobuf"), Key);

        // Then 202 and the series is stored with its points, host, service and tags
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var metric = Assert.Single(_datadog.Captures.MetricsNamed("system.cpu.user"));
        Assert.Equal(CapturedMetricType.Gauge, metric.Type);
        Assert.Equal([12.5, 13.5], metric.Points.Select(p => p.Value));
        Assert.Equal(1_700_000_000_000_000_000UL, metric.Points[0].TimeUnixNano);
        Assert.Equal("checkout", metric.ServiceName);
        Assert.Contains(metric.Points[0].Attributes, a => a.Key == "env" && a.Value.StringValue == "lab");
    }

    [Fact]
    public async Task Gzip_json_series_is_accepted()
    {
        var json = """{"series":[{"metric":"datadog.otel.usage","type":1,"points":[{"timestamp":1700000000,"value":3}],"tags":["service:payments"]}]}""";

        using var response = await Send(HttpMethod.Post, "api/v2/series", Compressed(Encoding.UTF8.GetBytes(json), "gzip", "application/json"), Key);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var metric = Assert.Single(_datadog.Captures.MetricsNamed("datadog.otel.usage"));
        Assert.Equal(CapturedMetricType.Count, metric.Type);
        Assert.Equal(CapturedTemporality.Delta, metric.Temporality);
    }

    [Fact]
    public async Task Zstd_protobuf_series_is_accepted()
    {
        // Given a series compressed with zstd (the agent serializer's other compressor kind)
        var payload = new MetricPayload();
        var series = new MetricPayload.Types.MetricSeries { Metric = "lab.zstd", Type = MetricPayload.Types.MetricType.Count };
        series.Points.Add(new MetricPayload.Types.MetricPoint { Timestamp = 1_700_000_000, Value = 1 });
        payload.Series.Add(series);

        // When it is posted
        using var response = await Send(HttpMethod.Post, "api/v2/series", Compressed(payload.ToByteArray(), "zstd", "application/x-protobuf"), Key);

        // Then it is accepted and decoded
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(CapturedMetricType.Count, Assert.Single(_datadog.Captures.MetricsNamed("lab.zstd")).Type);
    }

    [Fact]
    public async Task Series_above_the_compressed_cap_gets_413()
    {
        using var response = await Send(HttpMethod.Post, "api/v2/series", Compressed(new byte[512_001], null, "application/x-protobuf"), Key);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Series_inflating_above_the_uncompressed_cap_gets_413()
    {
        // 6 MB of zeros deflate to a few KB: under 512,000 on the wire, over 5,242,880 inflated
        using var response = await Send(HttpMethod.Post, "api/v2/series", Compressed(new byte[6_000_000], "deflate", "application/x-protobuf"), Key);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("PAYLOAD_TOO_LARGE", Assert.Single(_datadog.Captures.Rejections()).Reason);
    }

    [Fact]
    public async Task Intake_with_a_wrong_key_gets_403_and_nothing_is_stored()
    {
        using var response = await Send(HttpMethod.Post, "api/v0.2/traces", Compressed(Traces().ToByteArray(), "gzip", "application/x-protobuf"), "wrong");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(_datadog.Captures.Spans());
        Assert.Equal("INVALID_API_KEY", Assert.Single(_datadog.Captures.Rejections()).Reason);
    }

    [Fact]
    public async Task AgentPayload_traces_are_decoded_into_spans()
    {
        // Given an AgentPayload → tracer payload → chunk → two spans, gzip, with a 128-bit trace id (_dd.p.tid)
        var payload = Traces();

        // When it is posted
        using var response = await Send(HttpMethod.Post, "api/v0.2/traces", Compressed(payload.ToByteArray(), "gzip", "application/x-protobuf"), Key);

        // Then both spans are stored with ids, parent, service, name, resource, error, start, duration and meta
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var spans = _datadog.Captures.SpansOfTrace("6553f10000000000000000000000beef");
        Assert.Equal(2, spans.Count);
        var root = Assert.Single(spans, s => s.ParentSpanId == 0);
        var child = Assert.Single(spans, s => s.ParentSpanId != 0);
        Assert.Equal(root.SpanId, child.ParentSpanId);
        Assert.Equal("payments", root.ServiceName);
        Assert.Equal("http.request", root.Name);
        Assert.Equal("POST /pay", root.DatadogResource);
        Assert.Equal(CapturedStatus.Error, root.Status);
        Assert.Equal(2, root.Kind);
        Assert.Equal(1_700_000_000_000_000_000UL, root.StartUnixNano);
        Assert.Equal(25_000_000, root.DurationNanos);
        Assert.Contains(root.Attributes, a => a.Key == "http.status_code" && a.Value.StringValue == "500");
        Assert.Contains(root.Resource.Attributes, a => a.Key == "host.name" && a.Value.StringValue == "node-3");
        // 16 hex digits find a Datadog trace by its 64-bit id
        Assert.Equal(2, _datadog.Captures.SpansOfTrace("000000000000beef").Count);
    }

    [Fact]
    public async Task Malformed_traces_get_400()
    {
        using var response = await Send(HttpMethod.Post, "api/v0.2/traces", Compressed([0x2a, 0xff, 0xff, 0xff, 0x7f], "gzip", "application/x-protobuf"), Key);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("MALFORMED_PAYLOAD", Assert.Single(_datadog.Captures.Rejections()).Reason);
    }

    [Fact]
    public async Task Stats_and_host_metadata_are_counted()
    {
        using var stats = await Send(HttpMethod.Post, "api/v0.2/stats", Compressed([0x81, 0xa3, 0x45, 0x6e, 0x76, 0xa3, 0x6c, 0x61, 0x62], "gzip", "application/msgpack"), Key);
        using var intake = await Send(HttpMethod.Post, "intake", Compressed("{\"hostname\":\"node-3\"}"u8.ToArray(), "gzip", "application/json"), Key);

        Assert.Equal(HttpStatusCode.Accepted, stats.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, intake.StatusCode);
        var other = _datadog.Captures.Summary().OtherIntake;
        Assert.Equal(new IntakeCounts("/api/v0.2/stats", 1, 9), Assert.Single(other, c => c.Path == "/api/v0.2/stats"));
        Assert.Equal(1, Assert.Single(other, c => c.Path == "/intake").Requests);
    }

    [Fact]
    public async Task Unknown_paths_get_404_and_are_recorded()
    {
        using var response = await Send(HttpMethod.Post, "api/v3/unknown?api_key=" + Key, Compressed([1, 2, 3], null, "application/json"), Key);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var rejection = Assert.Single(_datadog.Captures.Rejections());
        Assert.Equal("UNKNOWN_PATH", rejection.Reason);
        Assert.Equal("POST /api/v3/unknown", rejection.Detail);
    }

    [Fact]
    public async Task Logs_are_stored()
    {
        var json = """[{"message":"payment refused","status":"error","service":"payments","hostname":"node-3","ddtags":"env:lab,team:pay","otel.trace_id":"abc"}]""";

        using var response = await Send(HttpMethod.Post, "api/v2/logs", Compressed(Encoding.UTF8.GetBytes(json), "gzip", "application/json"), Key);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var log = Assert.Single(_datadog.Captures.Logs());
        Assert.Equal("payment refused", log.Body);
        Assert.Equal("error", log.SeverityText);
        Assert.Equal("payments", log.ServiceName);
        Assert.Contains(log.Attributes, a => a.Key == "team" && a.Value.StringValue == "pay");
    }

    private static AgentPayload Traces()
    {
        var root = new Span
        {
            Service = "payments", Name = "http.request", Resource = "POST /pay", TraceID = 0xbeef, SpanID = 1, Start = 1_700_000_000_000_000_000,
            Duration = 25_000_000, Error = 1, Type = "web",
        };
        root.Meta.Add("_dd.p.tid", "6553f10000000000");
        root.Meta.Add("span.kind", "server");
        root.Meta.Add("http.status_code", "500");
        root.Metrics.Add("_sampling_priority_v1", 1);
        var child = new Span
        {
            Service = "payments", Name = "db.query", Resource = "INSERT payments", TraceID = 0xbeef, SpanID = 2, ParentID = 1,
            Start = 1_700_000_000_001_000_000, Duration = 5_000_000,
        };
        child.Meta.Add("_dd.p.tid", "6553f10000000000");
        var chunk = new TraceChunk { Priority = 1 };
        chunk.Spans.Add(root);
        chunk.Spans.Add(child);
        var tracer = new TracerPayload { Hostname = "node-3", Env = "lab", LanguageName = "python" };
        tracer.Chunks.Add(chunk);
        var payload = new AgentPayload { HostName = "node-3", Env = "lab", AgentVersion = "otel-collector" };
        payload.TracerPayloads.Add(tracer);
        return payload;
    }

    private static ByteArrayContent Compressed(byte[] body, string? encoding, string contentType)
    {
        var bytes = encoding switch
        {
            "gzip" => OtlpPayloads.Gzip(body),
            "deflate" => OtlpPayloads.Zlib(body),
            "zstd" => new ZstdSharp.Compressor().Wrap(body).ToArray(),
            _ => body,
        };
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        if (encoding is not null)
        {
            content.Headers.ContentEncoding.Add(encoding);
        }

        return content;
    }

    private Task<HttpResponseMessage> Send(HttpMethod method, string path, HttpContent? content, string key)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Add("DD-API-KEY", key);
        return _http.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
