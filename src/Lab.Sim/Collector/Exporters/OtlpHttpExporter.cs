using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OtelLab.Sim.Collector.Exporters.Internal;
using OtelLab.Sim.Collector.Metrics;
using OtelLab.Sim.Collector.Otlp;
using OtelLab.Sim.Collector.Pipeline;
using OtelLab.Sim.Collector.Runtime;
using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Sim.Collector.Exporters;

/// <summary>
/// The <c>otlphttp</c> exporter: OTLP/HTTP protobuf POSTs to <c>traces_endpoint</c>/<c>metrics_endpoint</c> or
/// <c>endpoint</c> + <c>/v1/traces</c>/<c>/v1/metrics</c>, with <c>headers</c> (e.g. <c>Authorization: Api-Token …</c>)
/// and <c>compression</c> (gzip by default). Cluster hosts resolve through cluster DNS; any other host goes through the
/// lab's egress (<see cref="ComponentCreateContext.Egress"/>) to the mock vendor intake.
/// upstream: exporter/otlphttpexporter (otlp.go export: 2xx → success, the body parsed for partial_success only when
/// Content-Type is application/x-protobuf or application/json; retryable 429, 502, 503, 504 with Retry-After honoured;
/// every other status, 500 included, is permanent: "error exporting items, request to URL responded with HTTP Status
/// Code N"; config.go defaults: encoding proto, compression gzip).
/// </summary>
public sealed class OtlpHttpExporter : QueuedRetryExporter
{
    private readonly Uri _url;
    private readonly IReadOnlyDictionary<string, string> _headers;
    private readonly bool _gzip;
    private HttpClient? _client;

    public OtlpHttpExporter(ComponentCreateContext context)
        : base(context)
    {
        var settings = new ComponentSettings(context.Id, context.Settings);
        var signalKey = context.Signal == "traces" ? "traces_endpoint" : "metrics_endpoint";
        var path = context.Signal == "traces" ? "v1/traces" : "v1/metrics";
        var url = settings.String(signalKey);
        if (url is null)
        {
            var endpoint = settings.String("endpoint") ?? throw settings.Error("at least one endpoint must be specified");
            url = endpoint.TrimEnd('/') + "/" + path;
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
        {
            throw settings.Error($"invalid endpoint \"{url}\": must be a valid URL with scheme http or https");
        }

        _url = uri;
        _headers = settings.StringMap("headers");
        _gzip = settings.String("compression", "gzip") == "gzip";
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        _client = new HttpClient(PodHttpHandler.Create(Context.Container)) { Timeout = Timeout.InfiniteTimeSpan };
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public override async Task ShutdownAsync(CancellationToken cancellationToken)
    {
        await base.ShutdownAsync(cancellationToken).ConfigureAwait(false);
        _client?.Dispose();
    }

    protected override async Task<ExportResult> PushTracesAsync(IReadOnlyList<TraceSpan> spans, CancellationToken cancellationToken)
    {
        var (result, body, json) = await PostAsync(OtlpConverter.FromSpans(spans), cancellationToken).ConfigureAwait(false);
        if (body is { Length: > 0 })
        {
            var response = Decode(body, json, ExportTraceServiceResponse.Parser);
            if (response?.PartialSuccess is { } p && (p.RejectedSpans > 0 || p.ErrorMessage.Length > 0))
            {
                LogPartialSuccess(p.ErrorMessage, p.RejectedSpans);
            }
        }

        return result;
    }

    protected override async Task<ExportResult> PushMetricsAsync(IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken)
    {
        var (result, body, json) = await PostAsync(OtlpMetricsWriter.Write(points), cancellationToken).ConfigureAwait(false);
        if (body is { Length: > 0 })
        {
            var response = Decode(body, json, ExportMetricsServiceResponse.Parser);
            if (response?.PartialSuccess is { } p && (p.RejectedDataPoints > 0 || p.ErrorMessage.Length > 0))
            {
                LogPartialSuccess(p.ErrorMessage, p.RejectedDataPoints);
            }
        }

        return result;
    }

    private Task<(ExportResult Result, byte[]? SuccessBody, bool Json)> PostAsync(IMessage message, CancellationToken cancellationToken) =>
        PostAsync(message.ToByteArray(), cancellationToken);

    private async Task<(ExportResult Result, byte[]? SuccessBody, bool Json)> PostAsync(byte[] payload, CancellationToken cancellationToken)
    {
        var target = Context.Egress.Resolve(_url) ?? (IsClusterHost(_url.Host) ? _url : null);
        if (target is null)
        {
            return (ExportResult.Retry($"Post \"{_url}\": dial tcp: lookup {_url.Host}: no such host"), null, false);
        }

        if (target == _url && _url.Scheme == "https")
        {
            // A cluster Service speaking plain HTTP to a TLS client.
            return (ExportResult.Retry($"Post \"{_url}\": http: server gave HTTP response to HTTPS client"), null, false);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, target);
        if (_gzip)
        {
            using var compressed = new MemoryStream();
            await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            {
                await gzip.WriteAsync(payload, cancellationToken).ConfigureAwait(false);
            }

            request.Content = new ByteArrayContent(compressed.ToArray());
            request.Content.Headers.ContentEncoding.Add("gzip");
        }
        else
        {
            request.Content = new ByteArrayContent(payload);
        }

        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        request.Headers.UserAgent.ParseAdd("OpenTelemetry Collector Contrib/0.159.0 (linux/amd64)");
        foreach (var (name, value) in _headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        HttpResponseMessage response;
        try
        {
            response = await _client!.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            return (ExportResult.Retry($"failed to make an HTTP request: Post \"{_url}\": {e.Message}"), null, false);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (status is >= 200 and < 300)
            {
                var mediaType = response.Content.Headers.ContentType?.MediaType;
                if (mediaType is "application/x-protobuf" or "application/json")
                {
                    return (ExportResult.Success, await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false), mediaType == "application/json");
                }

                return (ExportResult.Success, null, false);
            }

            var error = $"error exporting items, request to {_url} responded with HTTP Status Code {status.ToString(CultureInfo.InvariantCulture)}";
            if (status is 429 or 502 or 503 or 504)
            {
                return (ExportResult.Retry(error, RetryAfter(response)), null, false);
            }

            return (ExportResult.Permanent(error), null, false);
        }
    }

    // An undecodable 2xx body is not an error upstream either (the data was accepted).
    private static T? Decode<T>(byte[] body, bool json, MessageParser<T> parser)
        where T : class, IMessage<T>, new()
    {
        try
        {
            return json ? new JsonParser(JsonParser.Settings.Default.WithIgnoreUnknownFields(true)).Parse<T>(System.Text.Encoding.UTF8.GetString(body)) : parser.ParseFrom(body);
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException)
        {
            return null;
        }
    }

    private bool IsClusterHost(string host) => Context.Container.Resolver.Resolve(host, Context.Container.ResolverContext).Count > 0;

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable) || response.Headers.RetryAfter is not { } header)
        {
            return null;
        }

        return header.Delta ?? (header.Date is { } date ? date - DateTimeOffset.UtcNow : null);
    }
}
