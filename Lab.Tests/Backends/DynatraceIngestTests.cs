using System.Net;
using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Metrics.V1;
using OtelLab.Backends.Dynatrace;
using OtelLab.Backends.Internal.Rpc;

namespace OtelLab.Tests.Backends;

/// <summary>The mock Dynatrace's protocol rules over real loopback HTTP: auth, content type, limits, bad input, metric rules.</summary>
[Trait("Category", "Component")]
public sealed class DynatraceIngestTests : IAsyncLifetime
{
    private const string Token = "dt0c01.INGESTTESTPUBLICPARTXX.SECRETSECRETSECRETSECRET";
    private const string MetricsOnlyToken = "dt0c01.METRICSONLYPUBLICPART.SECRETSECRETSECRETSECRET";

    private readonly DynatraceBackend _dynatrace = new DynatraceBackendBuilder()
        .WithToken(Token)
        .WithToken(MetricsOnlyToken, DynatraceScopes.MetricsIngest)
        .Build();

    private HttpClient _http = null!;

    public async ValueTask InitializeAsync()
    {
        await _dynatrace.StartAsync(TestContext.Current.CancellationToken);
        _http = new HttpClient { BaseAddress = _dynatrace.BaseAddress };
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _dynatrace.DisposeAsync();
    }

    [Fact]
    public async Task Missing_token_gets_401_with_a_google_rpc_status_16()
    {
        // Given a valid trace request without Authorization
        // When it is posted
        using var response = await Post("v1/traces", OtlpPayloads.Protobuf(OtlpPayloads.Trace("checkout", 3)), token: null);

        // Then 401 with a protobuf google.rpc.Status code 16 (UNAUTHENTICATED), and a counted rejection
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/x-protobuf", response.Content.Headers.ContentType?.MediaType);
        var status = Status.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        Assert.Equal(16, status.Code);
        Assert.Equal("UNAUTHORIZED", Assert.Single(_dynatrace.Captures.Rejections()).Reason);
        Assert.Empty(_dynatrace.Captures.Spans());
    }

    [Fact]
    public async Task Wrong_token_gets_401_and_is_never_stored_in_clear()
    {
        const string wrong = "dt0c01.NOTKNOWNPUBLICPARTXXXX.TOPSECRETTOPSECRETTOPSECRET";
        using var response = await Post("v1/traces", OtlpPayloads.Protobuf(OtlpPayloads.Trace("checkout", 3)), wrong);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var rejection = Assert.Single(_dynatrace.Captures.Rejections());
        Assert.DoesNotContain("TOPSECRET", rejection.Credential.Masked, StringComparison.Ordinal);
        Assert.DoesNotContain(_dynatrace.Captures.Credentials(), c => c.Credential.Contains("TOPSECRET", StringComparison.Ordinal));
        var credentials = await _http.GetStringAsync("lab/credentials", TestContext.Current.CancellationToken);
        Assert.DoesNotContain("TOPSECRET", credentials, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_without_the_signals_scope_gets_403()
    {
        using var response = await Post("v1/traces", OtlpPayloads.Protobuf(OtlpPayloads.Trace("checkout", 3)), MetricsOnlyToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("MISSING_SCOPE", Assert.Single(_dynatrace.Captures.Rejections()).Reason);
    }

    [Fact]
    public async Task Api_token_query_parameter_is_accepted_and_gzip_traces_are_queryable()
    {
        // Given a gzip-compressed trace and the token in the api-token query parameter
        var request = OtlpPayloads.Trace("checkout", 5, seed: 42);
        using var message = new HttpRequestMessage(HttpMethod.Post, "api/v2/otlp/v1/traces?api-token=" + Token)
        {
            Content = OtlpPayloads.Protobuf(request, gzip: true),
        };

        // When it is posted
        using var response = await _http.SendAsync(message, TestContext.Current.CancellationToken);

        // Then 200 with an (empty) protobuf ExportTraceServiceResponse and the trace is stored
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-protobuf", response.Content.Headers.ContentType?.MediaType);
        var traceId = Convert.ToHexStringLower(request.ResourceSpans[0].ScopeSpans[0].Spans[0].TraceId.Span);
        Assert.Equal(5, _dynatrace.Captures.SpansOfTrace(traceId).Count);
        Assert.Equal(5, _dynatrace.Captures.Summary().Services["checkout"].Spans);
    }

    [Fact]
    public async Task Json_is_refused_with_415()
    {
        using var response = await Post("v1/traces", OtlpPayloads.Content("{\"resourceSpans\":[]}"u8.ToArray(), gzip: false, "application/json"), Token);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("UNSUPPORTED_MEDIA_TYPE", Assert.Single(_dynatrace.Captures.Rejections()).Reason);
    }

    [Fact]
    public async Task Content_encodings_other_than_gzip_get_415()
    {
        var content = OtlpPayloads.Content(new ZstdSharp.Compressor().Wrap(OtlpPayloads.Trace("checkout", 1).ToByteArray()).ToArray(), gzip: false);
        content.Headers.ContentEncoding.Add("zstd");

        using var response = await Post("v1/traces", content, Token);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("UNSUPPORTED_CONTENT_ENCODING", Assert.Single(_dynatrace.Captures.Rejections()).Reason);
    }

    [Fact]
    public async Task Malformed_protobuf_gets_400()
    {
        using var response = await Post("v1/traces", OtlpPayloads.Content([0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01], gzip: false), Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("MALFORMED_PROTOBUF", Assert.Single(_dynatrace.Captures.Rejections()).Reason);
    }

    [Fact]
    public async Task Corrupt_gzip_gets_400()
    {
        // A valid gzip header followed by a deflate block of the reserved type 11 (invalid).
        var content = OtlpPayloads.Content([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0, 0xff, .. Enumerable.Repeat((byte)0xff, 32)], gzip: false);
        content.Headers.ContentEncoding.Add("gzip");

        using var response = await Post("v1/traces", content, Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("BAD_CONTENT_ENCODING", Assert.Single(_dynatrace.Captures.Rejections()).Reason);
    }

    [Fact]
    public async Task Decompression_bomb_gets_413_without_inflating_it_all()
    {
        // Given 64 MiB of zeros gzipped into well under the 2 MB logs limit (far above it once inflated)
        var bomb = OtlpPayloads.Gzip(new byte[64 * 1024 * 1024]);
        Assert.True(bomb.Length < 1_000_000, $"bomb is {bomb.Length} bytes");
        var content = OtlpPayloads.Content(bomb, gzip: false);
        content.Headers.ContentEncoding.Add("gzip");

        // When it is posted
        using var response = await Post("v1/logs", content, Token);

        // Then 413, counted
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("PAYLOAD_TOO_LARGE", Assert.Single(_dynatrace.Captures.Rejections()).Reason);
    }

    [Fact]
    public async Task Body_above_the_metrics_limit_gets_413()
    {
        using var response = await Post("v1/metrics", OtlpPayloads.Content(new byte[(4 * 1024 * 1024) + 1], gzip: false), Token);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task More_than_15000_data_points_get_413()
    {
        var request = OtlpPayloads.Metrics("checkout", OtlpPayloads.Sum("lab.many", AggregationTemporality.Delta, true, [.. Enumerable.Repeat(1.0, 15_001)]));

        using var response = await Post("v1/metrics", OtlpPayloads.Protobuf(request), Token);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(15_001, Assert.Single(_dynatrace.Captures.Rejections()).ItemCount);
    }

    [Fact]
    public async Task Unsupported_metrics_are_answered_200_with_partial_success_in_Dynatraces_format()
    {
        // Given one request with a valid delta counter and one instance of each refused shape
        var summary = new Metric { Name = "lab.summary", Summary = new Summary() };
        summary.Summary.DataPoints.Add(new SummaryDataPoint { Count = 1, Sum = 2 });
        var tooManyDimensions = OtlpPayloads.Point(1, [.. Enumerable.Range(0, 50).Select(i => OtlpPayloads.Attribute($"d{i}", "v"))]);
        var request = OtlpPayloads.Metrics(
            "checkout",
            OtlpPayloads.Sum("lab.ok", AggregationTemporality.Delta, true, 1, 2),
            OtlpPayloads.Sum("lab.cumulative", AggregationTemporality.Cumulative, true, 7),
            OtlpPayloads.Sum("lab.updown", AggregationTemporality.Cumulative, false, 3),
            summary,
            OtlpPayloads.Gauge("lab.nan", OtlpPayloads.Point(double.NaN), OtlpPayloads.Point(4)),
            OtlpPayloads.Gauge("lab.wide", tooManyDimensions),
            OtlpPayloads.Gauge("lab.empty", OtlpPayloads.Point(1, OtlpPayloads.Attribute("k8s.pod.name", ""))));

        // When it is posted
        using var response = await Post("v1/metrics", OtlpPayloads.Protobuf(request), Token);

        // Then HTTP 200, protobuf, partial_success counting the 5 refused points, with Dynatrace's message lines
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-protobuf", response.Content.Headers.ContentType?.MediaType);
        var body = ExportMetricsServiceResponse.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        Assert.Equal(5, body.PartialSuccess.RejectedDataPoints);
        var message = body.PartialSuccess.ErrorMessage;
        Assert.StartsWith("The following issues were encountered while ingesting OTLP metrics:\nErrors:\n", message, StringComparison.Ordinal);
        Assert.Contains("Unsupported metric: 'lab.cumulative' - Reason: UNSUPPORTED_METRIC_TYPE_MONOTONIC_CUMULATIVE_SUM\n", message, StringComparison.Ordinal);
        Assert.Contains("Unsupported metric: 'lab.summary' - Reason: UNSUPPORTED_METRIC_TYPE_SUMMARY\n", message, StringComparison.Ordinal);
        Assert.Contains("Unsupported metric: 'lab.nan' - Reason: VALUE_INVALID\n", message, StringComparison.Ordinal);
        // 50 point attributes + service.name on the resource = 51 dimensions > 50
        Assert.Contains("Unsupported metric: 'lab.wide' - Reason: DIMENSION_COUNT_EXCEEDED\n", message, StringComparison.Ordinal);
        Assert.Contains("Unsupported metric: 'lab.empty' - Reason: DIMENSION_KEY_OR_VALUE_EMPTY\n", message, StringComparison.Ordinal);

        // And the accepted points are stored: the delta counter, the cumulative up-down counter (a gauge at Dynatrace), the valid gauge point
        Assert.Equal(2, Assert.Single(_dynatrace.Captures.MetricsNamed("lab.ok")).Points.Count);
        Assert.Single(_dynatrace.Captures.MetricsNamed("lab.updown"));
        Assert.Equal(4, Assert.Single(Assert.Single(_dynatrace.Captures.MetricsNamed("lab.nan")).Points).Value);
        Assert.Equal(5, _dynatrace.Captures.Rejections().Sum(r => r.ItemCount));
    }

    [Fact]
    public async Task Fifty_dimensions_are_still_accepted()
    {
        var point = OtlpPayloads.Point(1, [.. Enumerable.Range(0, 49).Select(i => OtlpPayloads.Attribute($"d{i}", "v"))]);

        using var response = await Post("v1/metrics", OtlpPayloads.Protobuf(OtlpPayloads.Metrics("checkout", OtlpPayloads.Gauge("lab.fifty", point))), Token);

        var body = ExportMetricsServiceResponse.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        Assert.Null(body.PartialSuccess);
        Assert.Single(_dynatrace.Captures.MetricsNamed("lab.fifty"));
    }

    private Task<HttpResponseMessage> Post(string path, HttpContent content, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "api/v2/otlp/" + path) { Content = content };
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Api-Token " + token);
        }

        return _http.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
