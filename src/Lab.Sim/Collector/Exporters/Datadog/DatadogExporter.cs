using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Compression;
using System.Net.Http.Headers;
using Google.Protobuf;
using OtelLab.Backends.Datadog.Protocol;
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
/// Traces: the trace writer buffers tracer payloads and flushes them every 5 s, or earlier when the buffer would pass
/// 3.2 MB, and at shutdown; a flush is retried on network errors, 408 and 5xx up to 4 times (backends.md; datadog-agent
/// pkg/trace/writer trace.go / sender.go, whose backoff is "full jitter": random in [0, min(10 s, 100 ms × 2^attempt))).
/// Metrics: exporterhelper queue + retry_on_failure (see <see cref="DatadogMetricsSender"/>); 400/403/404/413 are
/// permanent (clientutil.WrapError), everything else is retried; histograms per <c>metrics.histograms</c>.
/// Not emulated: DDSketch bins of a sketch, summaries, host metadata, the stats msgpack payload.
/// </summary>
public sealed class DatadogExporter : ICollectorComponent, ITraceConsumer, IMetricConsumer
{
    private readonly ComponentCreateContext _context;
    private readonly HttpClient _http;
    private readonly CounterMetric _sentSpans;
    private readonly CounterMetric _failedSpans;
    private readonly ConcurrentDictionary<string, double> _cumulative = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, HistogramDelta> _cumulativeHistograms = new(StringComparer.Ordinal);
    private readonly string _hostname;
    private readonly DatadogMetricsSender? _metrics;
    private readonly Lock _traceGate = new();
    private readonly List<TracerPayload> _pendingTraces = [];
    private readonly ConcurrentDictionary<Task, byte> _flushes = new();
    private readonly CancellationTokenSource _stopping = new();
    private long _pendingBytes;
    private int _pendingSpans;
    private ITimer? _flushTimer;

    /// <summary>upstream trace writer: flush period.</summary>
    public static readonly TimeSpan TraceFlushInterval = TimeSpan.FromSeconds(5);

    /// <summary>upstream trace writer: a flush happens before the buffered payload would pass this size.</summary>
    public const int MaxTracePayloadBytes = 3_200_000;

    /// <summary>upstream trace sender: retries of one payload on network errors, 408 and 5xx.</summary>
    public const int MaxTraceRetries = 4;

    public DatadogExporter(ComponentCreateContext context, DatadogExporterConfig config, HttpMessageHandler? handler = null)
    {
        _context = context;
        Config = config;
        _http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        _http.Timeout = TimeSpan.FromSeconds(15);
        _hostname = config.Hostname ?? context.Container.Pod.Metadata.Name ?? "unknown";
        _sentSpans = SharedCounters.Get(context.Telemetry, "otelcol_exporter_sent_spans", "Number of spans successfully sent to destination.");
        _failedSpans = SharedCounters.Get(context.Telemetry, "otelcol_exporter_send_failed_spans", "Number of spans in failed attempts to send to destination.");
        _metrics = context.Signal == "metrics" ? new DatadogMetricsSender(context, PushMetricsAsync) : null;
    }

    /// <summary>Spans buffered by the trace writer, waiting for the next flush.</summary>
    public int PendingSpans
    {
        get
        {
            lock (_traceGate)
            {
                return _pendingSpans;
            }
        }
    }

    public DatadogExporterConfig Config { get; }

    /// <summary>The outcome of the start-up key check: true valid, false refused, null not reached.</summary>
    public bool? KeyValid { get; private set; }

    private KeyValuePair<string, string> ExporterLabel => new("exporter", _context.Id.ToString());

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _flushTimer = _context.Time.CreateTimer(_ => Track(FlushTracesAsync()), null, TraceFlushInterval, TraceFlushInterval);
        if (_metrics is not null)
        {
            await _metrics.StartAsync(cancellationToken).ConfigureAwait(false);
        }

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

    /// <summary>Stops the flush timer, flushes what the trace writer holds and drains the metrics queue.</summary>
    public async Task ShutdownAsync(CancellationToken cancellationToken)
    {
        if (_flushTimer is { } timer)
        {
            await timer.DisposeAsync().ConfigureAwait(false);
            _flushTimer = null;
        }

        Track(FlushTracesAsync());
        await _stopping.CancelAsync().ConfigureAwait(false); // a pending retry wait ends now (upstream sender Stop)
        await Task.WhenAll(_flushes.Keys).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (_metrics is not null)
        {
            await _metrics.ShutdownAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await ShutdownAsync(CancellationToken.None).ConfigureAwait(false);
        _http.Dispose();
        _stopping.Dispose();
    }

    /// <summary>Adds the spans to the trace writer's buffer (upstream TraceWriter: flushes first when the buffer would pass 3.2 MB).</summary>
    public ValueTask ConsumeAsync(IReadOnlyList<TraceSpan> spans, CancellationToken cancellationToken)
    {
        if (spans.Count == 0)
        {
            return ValueTask.CompletedTask;
        }

        var payload = DatadogPayloads.Traces(spans, _hostname, "none");
        var size = payload.CalculateSize();
        (List<TracerPayload> Payloads, int Spans)? full = null;
        lock (_traceGate)
        {
            if (_pendingTraces.Count > 0 && _pendingBytes + size > MaxTracePayloadBytes)
            {
                full = TakePending();
            }

            _pendingTraces.AddRange(payload.TracerPayloads);
            _pendingBytes += size;
            _pendingSpans += spans.Count;
        }

        if (full is { } f)
        {
            Track(SendTracesAsync(f.Payloads, f.Spans));
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Sends what the trace writer holds now (the 5 s timer calls it).</summary>
    public Task FlushTracesAsync()
    {
        (List<TracerPayload> Payloads, int Spans) taken;
        lock (_traceGate)
        {
            if (_pendingTraces.Count == 0)
            {
                return Task.CompletedTask;
            }

            taken = TakePending();
        }

        return SendTracesAsync(taken.Payloads, taken.Spans);
    }

    private (List<TracerPayload> Payloads, int Spans) TakePending()
    {
        var taken = (new List<TracerPayload>(_pendingTraces), _pendingSpans);
        _pendingTraces.Clear();
        _pendingBytes = 0;
        _pendingSpans = 0;
        return taken;
    }

    private void Track(Task flush)
    {
        _flushes[flush] = 0;
        _ = flush.ContinueWith(t => _flushes.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task SendTracesAsync(List<TracerPayload> tracers, int spans)
    {
        var payload = DatadogPayloads.Envelope(_hostname, "none");
        payload.TracerPayloads.AddRange(tracers);
        var languages = string.Join('|', tracers.Select(t => t.LanguageName).Where(l => l.Length > 0).Distinct(StringComparer.Ordinal));
        var body = Compress(payload, gzip: true);
        for (var attempt = 0; ; attempt++)
        {
            using var content = Content(body, gzip: true);
            content.Headers.TryAddWithoutValidation("X-Datadog-Reported-Languages", languages);
            var (ok, retryable, error) = await PostOnceAsync(Config.TracesBase, "/api/v0.2/traces", content, CancellationToken.None).ConfigureAwait(false);
            if (ok)
            {
                _sentSpans.Add(spans, ExporterLabel);
                return;
            }

            if (!retryable || attempt == MaxTraceRetries)
            {
                Log("error", $"Exporting failed. Dropping data.\t{{\"error\": \"{Escape(error)}\", \"dropped_items\": {spans}}}");
                break;
            }

            // datadog-agent sender.go backoffDuration: full jitter, random in [0, min(10 s, 100 ms × 2^attempt)).
            var ceiling = Math.Min(10_000, 100 * Math.Pow(2, attempt + 1));
            var backoff = TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling);
            var wait = Task.Delay(backoff, _context.Time, _stopping.Token);
            Log("info", $"Request failed. Will retry the request after interval.\t{{\"error\": \"{Escape(error)}\", \"interval\": \"{backoff.TotalMilliseconds:0}ms\"}}");
            try
            {
                await wait.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Log("error", $"Exporting failed. Dropping data.\t{{\"error\": \"interrupted due to shutdown: {Escape(error)}\", \"dropped_items\": {spans}}}");
                break;
            }
        }

        _failedSpans.Add(spans, ExporterLabel);
    }

    /// <summary>Metrics go through the sending queue and retry (<see cref="DatadogMetricsSender"/>).</summary>
    public ValueTask ConsumeAsync(IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken) =>
        _metrics is null ? ValueTask.CompletedTask : _metrics.ConsumeAsync(points, cancellationToken);

    private async Task<ExportResult> PushMetricsAsync(IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken)
    {
        var stats = points.Count(p => p.Name == Connectors.Datadog.DatadogConnector.StatsPayloadKey);
        if (stats > 0)
        {
            // upstream sends these to {traces}/api/v0.2/stats as msgpack; the lab does not emulate that encoding.
            Log("warn", $"APM stats payloads (dd.internal.stats.payload → /api/v0.2/stats, msgpack) are not emulated by the lab's datadog exporter\t{{\"dropped_items\": {stats}}}");
            points = points.Where(p => p.Name != Connectors.Datadog.DatadogConnector.StatsPayloadKey).ToList();
        }

        var payload = DatadogPayloads.Series(points, _hostname, CumulativeDelta, CumulativeHistogramDelta, Config.Histograms, out var sketches, out var unsupported);
        if (unsupported > 0)
        {
            Log("warn", $"summary points are not emulated by the lab's datadog exporter\t{{\"dropped_items\": {unsupported}}}");
        }

        // upstream pushes series and sketches as separate requests; a failure of either fails the push (retried whole).
        if (payload.Series.Count > 0)
        {
            using var content = Content(Compress(payload, gzip: false), gzip: false);
            var (ok, retryable, error) = await PostOnceAsync(Config.MetricsBase, "/api/v2/series", content, cancellationToken).ConfigureAwait(false);
            if (!ok)
            {
                return retryable ? ExportResult.Retry(error) : ExportResult.Permanent(error);
            }
        }

        if (sketches.Sketches.Count > 0)
        {
            using var content = Content(Compress(sketches, gzip: false), gzip: false);
            var (ok, retryable, error) = await PostOnceAsync(Config.MetricsBase, "/api/beta/sketches", content, cancellationToken).ConfigureAwait(false);
            if (!ok)
            {
                return retryable ? ExportResult.Retry(error) : ExportResult.Permanent(error);
            }
        }

        return ExportResult.Success;
    }

    private static string SeriesKey(MetricPoint point) =>
        point.Name + "\u001e" + string.Join('\u001f', point.Attributes.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key + "=" + kv.Value))
            + "\u001e" + string.Join('\u001f', point.Resource.Attributes.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key + "=" + kv.Value));

    // mapping-go: a cumulative histogram's delta against the previous point of its series; the first point (or a
    // reset, where the count goes down) only seeds the cache.
    private HistogramDelta? CumulativeHistogramDelta(MetricPoint point)
    {
        var current = new HistogramDelta(point.Count, point.Value, [.. point.BucketCounts]);
        HistogramDelta? delta = null;
        _cumulativeHistograms.AddOrUpdate(SeriesKey(point), current, (_, previous) =>
        {
            delta = current.Count >= previous.Count && current.Buckets.Count == previous.Buckets.Count
                ? new HistogramDelta(current.Count - previous.Count, current.Sum - previous.Sum, [.. current.Buckets.Select((c, i) => c >= previous.Buckets[i] ? c - previous.Buckets[i] : 0)])
                : null;
            return current;
        });
        return delta;
    }

    private double? CumulativeDelta(MetricPoint point)
    {
        var key = SeriesKey(point);
        double? delta = null;
        _cumulative.AddOrUpdate(key, point.Value, (_, previous) =>
        {
            delta = point.Value >= previous ? point.Value - previous : null;
            return point.Value;
        });
        return delta;
    }

    private static byte[] Compress(IMessage message, bool gzip)
    {
        using var buffer = new MemoryStream();
        using (Stream compressor = gzip ? new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true) : new ZLibStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            message.WriteTo(compressor);
        }

        return buffer.ToArray();
    }

    private static ByteArrayContent Content(byte[] body, bool gzip)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        content.Headers.ContentEncoding.Add(gzip ? "gzip" : "deflate");
        return content;
    }

    // One request. Retryable: network errors, 408 and 5xx for traces (datadog-agent sender.go; backends.md) and every
    // status but 400/403/404/413 for metrics (clientutil.WrapError isNonRetriable).
    private async Task<(bool Ok, bool Retryable, string Error)> PostOnceAsync(Uri baseUri, string path, HttpContent content, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, Target("Post", baseUri, path)) { Content = content };
            request.Headers.TryAddWithoutValidation("DD-API-KEY", Config.ApiKey);
            request.Headers.TryAddWithoutValidation("User-Agent", "otelcol-contrib/lab");
            using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return (true, false, string.Empty);
            }

            var status = (int)response.StatusCode;
            var retryable = path == "/api/v0.2/traces" ? status is 408 or >= 500 : status is not (400 or 403 or 404 or 413);
            return (false, retryable, $"{path}: {status} {response.ReasonPhrase}");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or EgressUnreachableException)
        {
            return (false, true, ex.Message);
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
