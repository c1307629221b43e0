using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Compression;
using System.Net.Http.Headers;
using Google.Protobuf;
using OtelLab.Model.Secrets;
using OtelLab.Sim.Collector.Exporters.Datadog.Internal;
using OtelLab.Sim.Collector.Internal;
using OtelLab.Sim.Collector.Metrics;
using OtelLab.Sim.Collector.Pipeline;
using OtelLab.Sim.Collector.Telemetry;
using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Sim.Collector.Exporters.Datadog;

/// <summary>
/// The contrib <c>datadog</c> exporter: validates its API key at start (<c>GET /api/v1/validate</c>; a refusal is
/// logged as <c>API Key validation failed</c> and aborts the start only with <c>api.fail_on_invalid_key</c>), sends
/// traces as protobuf <c>AgentPayload</c> (gzip) to <c>{traces}/api/v0.2/traces</c> and metrics as protobuf
/// <c>MetricPayload</c> (zlib) to <c>{metrics}/api/v2/series</c>, with the headers backends.md lists. Hosts outside the
/// cluster go through <see cref="ComponentCreateContext.Egress"/> (never the internet). The key never appears in logs.
/// Not emulated: the 5 s trace flush (each batch is sent at once), retries, sketches for histograms, host metadata.
/// </summary>
public sealed class DatadogExporter : ICollectorComponent, ITraceConsumer, IMetricConsumer
{
    private readonly ComponentCreateContext _context;
    private readonly HttpClient _http;
    private readonly CounterMetric _sentSpans;
    private readonly CounterMetric _failedSpans;
    private readonly CounterMetric _sentPoints;
    private readonly CounterMetric _failedPoints;
    private readonly ConcurrentDictionary<string, double> _cumulative = new(StringComparer.Ordinal);
    private readonly string _hostname;

    public DatadogExporter(ComponentCreateContext context, DatadogExporterConfig config, HttpMessageHandler? handler = null)
    {
        _context = context;
        Config = config;
        _http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        _http.Timeout = TimeSpan.FromSeconds(15);
        _hostname = config.Hostname ?? context.Container.Pod.Metadata.Name ?? "unknown";
        _sentSpans = SharedCounters.Get(context.Telemetry, "otelcol_exporter_sent_spans", "Number of spans successfully sent to destination.");
        _failedSpans = SharedCounters.Get(context.Telemetry, "otelcol_exporter_send_failed_spans", "Number of spans in failed attempts to send to destination.");
        _sentPoints = SharedCounters.Get(context.Telemetry, "otelcol_exporter_sent_metric_points", "Number of metric points successfully sent to destination.");
        _failedPoints = SharedCounters.Get(context.Telemetry, "otelcol_exporter_send_failed_metric_points", "Number of metric points in failed attempts to send to destination.");
    }

    public DatadogExporterConfig Config { get; }

    /// <summary>The outcome of the start-up key check: true valid, false refused, null not reached.</summary>
    public bool? KeyValid { get; private set; }

    private KeyValuePair<string, string> ExporterLabel => new("exporter", _context.Id.ToString());

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // upstream clientutil ValidateAPIKey: "Validating API key." then success or ErrInvalidAPI.
        Log("info", "Validating API key.");
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, Target("Get", Config.MetricsBase, "/api/v1/validate"));
            request.Headers.TryAddWithoutValidation("DD-API-KEY", Config.ApiKey);
            using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            KeyValid = response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or EgressUnreachableException)
        {
            Log("warn", $"Error while validating API key\t{{\"error\": \"{Escape(ex.Message)}\"}}");
            return;
        }

        if (KeyValid == true)
        {
            Log("info", "API key validation successful.");
            return;
        }

        Log("warn", "API Key validation failed");
        if (Config.FailOnInvalidKey)
        {
            throw new CollectorStartException($"failed to create exporter \"{_context.Id}\": API Key validation failed (api.key {CredentialMask.Mask(Config.ApiKey)})");
        }
    }

    public Task ShutdownAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }

    public async ValueTask ConsumeAsync(IReadOnlyList<TraceSpan> spans, CancellationToken cancellationToken)
    {
        if (spans.Count == 0)
        {
            return;
        }

        var payload = DatadogPayloads.Traces(spans, _hostname, "none");
        var languages = string.Join('|', payload.TracerPayloads.Select(t => t.LanguageName).Where(l => l.Length > 0).Distinct(StringComparer.Ordinal));
        using var content = Compressed(payload, gzip: true);
        content.Headers.TryAddWithoutValidation("X-Datadog-Reported-Languages", languages);
        var ok = await PostAsync(Config.TracesBase, "/api/v0.2/traces", content, cancellationToken).ConfigureAwait(false);
        (ok ? _sentSpans : _failedSpans).Add(spans.Count, ExporterLabel);
    }

    public async ValueTask ConsumeAsync(IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken)
    {
        var stats = points.Count(p => p.Name == Connectors.Datadog.DatadogConnector.StatsPayloadKey);
        if (stats > 0)
        {
            // upstream sends these to {traces}/api/v0.2/stats as msgpack; the lab does not emulate that encoding.
            Log("warn", $"APM stats payloads (dd.internal.stats.payload → /api/v0.2/stats, msgpack) are not emulated by the lab's datadog exporter\t{{\"dropped_items\": {stats}}}");
            points = points.Where(p => p.Name != Connectors.Datadog.DatadogConnector.StatsPayloadKey).ToList();
        }

        var payload = DatadogPayloads.Series(points, _hostname, CumulativeDelta, out var unsupported);
        if (unsupported > 0)
        {
            Log("warn", $"histogram and summary points are not emulated by the lab's datadog exporter (sketches)\t{{\"dropped_items\": {unsupported}}}");
        }

        if (payload.Series.Count == 0)
        {
            return;
        }

        using var content = Compressed(payload, gzip: false);
        var ok = await PostAsync(Config.MetricsBase, "/api/v2/series", content, cancellationToken).ConfigureAwait(false);
        (ok ? _sentPoints : _failedPoints).Add(payload.Series.Count, ExporterLabel);
    }

    private double? CumulativeDelta(MetricPoint point)
    {
        var key = point.Name + "\u001e" + string.Join('\u001f', point.Attributes.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key + "=" + kv.Value))
            + "\u001e" + string.Join('\u001f', point.Resource.Attributes.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key + "=" + kv.Value));
        double? delta = null;
        _cumulative.AddOrUpdate(key, point.Value, (_, previous) =>
        {
            delta = point.Value >= previous ? point.Value - previous : null;
            return point.Value;
        });
        return delta;
    }

    private static ByteArrayContent Compressed(IMessage message, bool gzip)
    {
        using var buffer = new MemoryStream();
        using (Stream compressor = gzip ? new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true) : new ZLibStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            message.WriteTo(compressor);
        }

        var content = new ByteArrayContent(buffer.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        content.Headers.ContentEncoding.Add(gzip ? "gzip" : "deflate");
        return content;
    }

    private async Task<bool> PostAsync(Uri baseUri, string path, HttpContent content, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, Target("Post", baseUri, path)) { Content = content };
            request.Headers.TryAddWithoutValidation("DD-API-KEY", Config.ApiKey);
            request.Headers.TryAddWithoutValidation("User-Agent", "otelcol-contrib/lab");
            using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return true;
            }

            Log("error", $"Exporting failed. Dropping data.\t{{\"error\": \"{path}: {(int)response.StatusCode} {response.ReasonPhrase}\"}}");
            return false;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or EgressUnreachableException)
        {
            Log("error", $"Exporting failed. Dropping data.\t{{\"error\": \"{Escape(ex.Message)}\"}}");
            return false;
        }
    }

    private Uri Target(string method, Uri baseUri, string path)
    {
        var external = new Uri(baseUri, baseUri.AbsolutePath.TrimEnd('/') + path);
        return _context.Egress.Resolve(external)
            ?? throw new EgressUnreachableException($"{method} \"{external}\": dial tcp: lookup {external.Host}: no such host");
    }

    private void Log(string level, string message)
    {
        var at = _context.Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        _context.Container.Log.Write($"{at}\t{level}\tdatadogexporter\t{message.Replace(Config.ApiKey, CredentialMask.Mask(Config.ApiKey), StringComparison.Ordinal)}");
    }

    private static string Escape(string s) => s.Replace("\"", "\\\"", StringComparison.Ordinal);

    private sealed class EgressUnreachableException(string message) : Exception(message);
}
