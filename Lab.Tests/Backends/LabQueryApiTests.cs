using System.Net;
using System.Text.Json;
using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Logs.V1;
using OpenTelemetry.Proto.Metrics.V1;
using OtelLab.Backends.Dynatrace;

namespace OtelLab.Tests.Backends;

/// <summary>The JSON query API under /lab/ on a backend's own host.</summary>
[Trait("Category", "Component")]
public sealed class LabQueryApiTests : IAsyncLifetime
{
    private const string Token = "dt0c01.QUERYAPITESTPUBLICPART.SECRETSECRETSECRETSECRET";

    private readonly DynatraceBackend _dynatrace = new DynatraceBackendBuilder().WithToken(Token).Build();
    private HttpClient _http = null!;

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        await _dynatrace.StartAsync(ct);
        _http = new HttpClient { BaseAddress = _dynatrace.BaseAddress };

        // Given: a trace of 4 spans from checkout, a delta and a cumulative counter, one log record, one unauthenticated request
        await Post("v1/traces", OtlpPayloads.Trace("checkout", 4, seed: 9).ToByteArray(), Token);
        await Post("v1/metrics", OtlpPayloads.Metrics(
            "payments",
            OtlpPayloads.Sum("lab.paid", AggregationTemporality.Delta, true, 3),
            OtlpPayloads.Sum("lab.paid.total", AggregationTemporality.Cumulative, true, 30)).ToByteArray(), Token);
        var logs = new ExportLogsServiceRequest();
        var scopeLogs = new ScopeLogs();
        scopeLogs.LogRecords.Add(new LogRecord { Body = new AnyValue { StringValue = "payment accepted" }, SeverityText = "INFO", TimeUnixNano = 1 });
        var resourceLogs = new ResourceLogs { Resource = OtlpPayloads.Service("payments") };
        resourceLogs.ScopeLogs.Add(scopeLogs);
        logs.ResourceLogs.Add(resourceLogs);
        await Post("v1/logs", logs.ToByteArray(), Token);
        await Post("v1/traces", OtlpPayloads.Trace("checkout", 1).ToByteArray(), null);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _dynatrace.DisposeAsync();
    }

    [Fact]
    public async Task Summary_counts_per_signal_and_service()
    {
        using var json = await Get("lab/summary");
        var root = json.RootElement;

        Assert.Equal(4, root.GetProperty("acceptedSpans").GetInt64());
        Assert.Equal(1, root.GetProperty("acceptedMetricPoints").GetInt64());
        Assert.Equal(1, root.GetProperty("acceptedLogRecords").GetInt64());
        Assert.Equal(1, root.GetProperty("rejectedRequests").GetInt64());
        Assert.Equal(1, root.GetProperty("rejectedItems").GetInt64()); // the cumulative point (the 401 request has no item count)
        Assert.Equal(4, root.GetProperty("services").GetProperty("checkout").GetProperty("spans").GetInt64());
        Assert.Equal(1, root.GetProperty("services").GetProperty("payments").GetProperty("logRecords").GetInt64());
    }

    [Fact]
    public async Task Rejections_list_the_reason_and_the_masked_credential()
    {
        using var json = await Get("lab/rejections");
        var reasons = json.RootElement.EnumerateArray().Select(r => r.GetProperty("reason").GetString()).ToList();

        Assert.Equal(["UNSUPPORTED_METRIC_TYPE_MONOTONIC_CUMULATIVE_SUM", "UNAUTHORIZED"], reasons);
        Assert.All(json.RootElement.EnumerateArray(), r => Assert.DoesNotContain("SECRET", r.GetProperty("credential").GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Spans_metrics_and_logs_are_listed()
    {
        using var spans = await Get("lab/spans?service=checkout&limit=2");
        using var metrics = await Get("lab/metrics?name=lab.paid");
        using var logs = await Get("lab/logs");

        Assert.Equal(2, spans.RootElement.GetArrayLength());
        Assert.Equal("/orders/{id}", spans.RootElement[0].GetProperty("attributes").GetProperty("http.route").GetString());
        var metric = Assert.Single(metrics.RootElement.EnumerateArray());
        Assert.Equal("delta", metric.GetProperty("temporality").GetString());
        Assert.Equal("sum", metric.GetProperty("type").GetString());
        Assert.Equal("payment accepted", Assert.Single(logs.RootElement.EnumerateArray()).GetProperty("body").GetString());
    }

    [Fact]
    public async Task Export_serves_OTLP_JSON_and_credentials_are_masked()
    {
        using var traces = await Get("lab/export/traces");
        using var credentials = await Get("lab/credentials");

        Assert.Equal(4, traces.RootElement.GetProperty("resourceSpans")[0].GetProperty("scopeSpans")[0].GetProperty("spans").GetArrayLength());
        var seen = credentials.RootElement.EnumerateArray().Select(c => c.GetProperty("credential").GetString()!).ToList();
        Assert.Contains("(none)", seen);
        Assert.Contains(seen, c => c.StartsWith("dt0c****(sha256:", StringComparison.Ordinal));
        using var missing = await _http.GetAsync("lab/export/profiles", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    private async Task<JsonDocument> Get(string path) =>
        JsonDocument.Parse(await _http.GetStringAsync(path, TestContext.Current.CancellationToken));

    private async Task Post(string path, byte[] body, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v2/otlp/" + path) { Content = OtlpPayloads.Content(body, gzip: false) };
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Api-Token " + token);
        }

        using var response = await _http.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
