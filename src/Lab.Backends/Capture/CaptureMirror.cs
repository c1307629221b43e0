using System.Text.Json.Nodes;
using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Trace.V1;
using OtelLab.Backends.Capture.Internal;

namespace OtelLab.Backends.Capture;

/// <summary>
/// Keeps a local <see cref="CaptureStore"/> filled with the spans a mock backend elsewhere stored (the in-cluster
/// backends of a k3s run, reached through a port-forward): it reads the backend's <c>/lab/export/traces</c> (OTLP/JSON
/// of every accepted span) and adds each span not seen yet, so the lab's backend checks judge that store exactly as
/// they judge a local one, waits included. Spans only: metrics, logs, rejections and credentials stay in the remote
/// store (its query API serves them).
/// </summary>
public sealed class CaptureMirror
{
    private readonly HttpClient _http;
    private readonly Uri _export;
    private readonly HashSet<(UInt128 Trace, ulong Span)> _seen = [];
    private readonly SemaphoreSlim _pulling = new(1, 1);

    /// <param name="http">The client the remote query API is read with (its lifetime is the caller's).</param>
    /// <param name="remoteBase">The remote backend's base URL (<c>http://127.0.0.1:PORT/</c> of a port-forward).</param>
    /// <param name="local">The store the spans are added to.</param>
    public CaptureMirror(HttpClient http, Uri remoteBase, CaptureStore local)
    {
        ArgumentNullException.ThrowIfNull(remoteBase);
        _http = http ?? throw new ArgumentNullException(nameof(http));
        Local = local ?? throw new ArgumentNullException(nameof(local));
        _export = new Uri(remoteBase, "lab/export/traces");
    }

    public CaptureStore Local { get; }

    /// <summary>One read of the remote store; returns how many new spans were added.</summary>
    public async Task<int> PullAsync(CancellationToken cancellationToken)
    {
        await _pulling.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var json = await _http.GetStringAsync(_export, cancellationToken).ConfigureAwait(false);
            var request = new ExportTraceServiceRequest();
            request.ResourceSpans.AddRange(Parse(json).ResourceSpans);
            var origin = new OtlpCapture.Origin(Local.Backend, CredentialFingerprint.None, Local.Now(), _export.Authority);
            var fresh = OtlpCapture.Spans(request, origin).Where(s => _seen.Add((s.TraceId, s.SpanId))).ToArray();
            Local.AddSpans(fresh);
            return fresh.Length;
        }
        finally
        {
            _pulling.Release();
        }
    }

    /// <summary>Pulls every <paramref name="interval"/> until cancelled; a failed read is retried at the next tick (the port-forward may be re-established).</summary>
    public async Task RunAsync(TimeSpan interval, TimeProvider time, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        do
        {
            try
            {
                await PullAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or InvalidJsonException or System.Text.Json.JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // the remote store is unreachable this tick; the checks wait on the local store and report what arrived
            }
        }
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
    }

    // OTLP/JSON writes trace and span ids as hex (OTLP spec, JSON Protobuf encoding); protobuf's JSON parser reads
    // bytes as base64: convert them back before parsing.
    internal static TracesData Parse(string json)
    {
        var root = JsonNode.Parse(json) ?? new JsonObject();
        foreach (var span in (root["resourceSpans"] as JsonArray ?? []).SelectMany(rs => rs?["scopeSpans"] as JsonArray ?? []).SelectMany(ss => ss?["spans"] as JsonArray ?? []).OfType<JsonObject>())
        {
            foreach (var field in new[] { "traceId", "spanId", "parentSpanId" })
            {
                if (span[field]?.GetValue<string>() is { Length: > 0 } hex)
                {
                    span[field] = Convert.ToBase64String(Convert.FromHexString(hex));
                }
            }
        }

        return JsonParser.Default.Parse<TracesData>(root.ToJsonString());
    }
}
