using System.Runtime.InteropServices;
using System.Text.Json;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using OtelLab.Backends.Capture;
using OtelLab.Backends.Capture.Internal;
using OtelLab.Backends.Datadog.Protocol;
using OtelLab.Backends.Faults;
using OtelLab.Backends.Hosting.Internal;

namespace OtelLab.Backends.Datadog.Internal;

/// <summary>
/// The Datadog intake paths the collector's datadog exporter (and datadog-api-client) use (backends.md):
/// key validation, series (protobuf + JSON), sketches, traces (AgentPayload), stats, host metadata, logs.
/// One host serves them all: point <c>metrics.endpoint</c>, <c>traces.endpoint</c> and <c>logs.endpoint</c> at it.
/// </summary>
internal sealed class DatadogIntakeEndpoints(DatadogApiKeys keys, CaptureStore store, BackendFaults faults, TimeProvider time)
{
    // backends.md: series payloads are capped at 512,000 bytes compressed and 5,242,880 bytes uncompressed.
    public const int SeriesWireLimit = 512_000;
    public const int SeriesDecodedLimit = 5_242_880;

    // UNCONFIRMED: intake limits for traces, stats, metadata and logs; generous caps that still stop a bomb.
    public const int TracesWireLimit = 16 * 1024 * 1024;
    public const int TracesDecodedLimit = 64 * 1024 * 1024;
    public const int LogsDecodedLimit = 5_242_880;

    // The exporter's series are zlib ("deflate", backends.md); the agent serializer it embeds can be set to zstd
    // (datadog-agent serializer_compressor_kind), traces/logs/metadata are gzip.
    private const ContentEncodings Encodings = ContentEncodings.Gzip | ContentEncodings.Deflate | ContentEncodings.Zstd;

    private const string Forbidden = """{"errors":["Forbidden"]}""";
    private const string Accepted = """{"status":"ok"}""";

    private delegate void Ingest(HttpContext context, RequestBody body, OtlpCapture.Origin origin);

    public void Map(WebApplication app)
    {
        app.MapGet("/api/v1/validate", ValidateAsync);
        app.MapPost("/api/v2/series", context => HandleAsync(context, Signal.Metrics, SeriesWireLimit, SeriesDecodedLimit, IngestSeries));
        app.MapPost("/api/v1/series", context => HandleAsync(context, Signal.Metrics, SeriesWireLimit, SeriesDecodedLimit, IngestSeriesJson));
        app.MapPost("/api/beta/sketches", context => HandleAsync(context, Signal.Metrics, SeriesWireLimit, SeriesDecodedLimit, IngestSketches));
        app.MapPost("/api/v0.2/traces", context => HandleAsync(context, Signal.Traces, TracesWireLimit, TracesDecodedLimit, IngestTraces));
        app.MapPost("/api/v0.2/stats", context => HandleAsync(context, Signal.Other, TracesWireLimit, TracesDecodedLimit, CountOnly));
        app.MapPost("/intake", context => HandleAsync(context, Signal.Other, TracesWireLimit, TracesDecodedLimit, CountOnly));
        app.MapPost("/api/v2/logs", context => HandleAsync(context, Signal.Logs, LogsDecodedLimit, LogsDecodedLimit, IngestLogs));
    }

    /// <summary>GET /api/v1/validate: 200 {"valid":true} or 403 {"errors":["Forbidden"]} (backends.md).</summary>
    private async Task ValidateAsync(HttpContext context)
    {
        var key = ApiKey(context.Request);
        var credential = CredentialFingerprint.Of(key);
        if (!keys.IsValid(key))
        {
            store.AddRejection(IngestResponses.Rejection(store, Signal.Other, StatusCodes.Status403Forbidden, "INVALID_API_KEY", "GET /api/v1/validate", credential), wholeRequest: true);
            store.RecordCredential(credential, accepted: false);
            await IngestResponses.WriteJsonTextAsync(context, StatusCodes.Status403Forbidden, Forbidden).ConfigureAwait(false);
            return;
        }

        store.RecordCredential(credential, accepted: true);
        await IngestResponses.WriteJsonTextAsync(context, StatusCodes.Status200OK, """{"valid":true}""").ConfigureAwait(false);
    }

    private async Task HandleAsync(HttpContext context, Signal signal, int wireLimit, int decodedLimit, Ingest ingest)
    {
        if (await FaultGate.AnsweredAsync(context, faults, time).ConfigureAwait(false))
        {
            return;
        }

        var path = context.Request.Path.Value ?? "";
        var key = ApiKey(context.Request);
        var credential = CredentialFingerprint.Of(key);
        if (!keys.IsValid(key))
        {
            await RefuseAsync(context, signal, StatusCodes.Status403Forbidden, "INVALID_API_KEY", $"POST {path}", credential, Forbidden).ConfigureAwait(false);
            return;
        }

        using var body = await RequestBody.ReadAsync(context.Request, wireLimit, decodedLimit, Encodings, context.RequestAborted).ConfigureAwait(false);
        if (body.Status != BodyStatus.Ok)
        {
            var (status, reason) = IngestResponses.Of(body.Status);
            await RefuseAsync(context, signal, status, reason, $"POST {path}: {body.WireBytes} bytes on the wire; limits {wireLimit} compressed, {decodedLimit} uncompressed", credential, null).ConfigureAwait(false);
            return;
        }

        try
        {
            ingest(context, body, new OtlpCapture.Origin(store.Backend, credential, time.GetUtcNow(), IngestResponses.Peer(context)));
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            await RefuseAsync(context, signal, StatusCodes.Status400BadRequest, "MALFORMED_PAYLOAD", $"POST {path}: {body.Length} bytes could not be decoded ({e.GetType().Name})", credential, """{"errors":["Malformed payload"]}""").ConfigureAwait(false);
            return;
        }
        catch (UnsupportedMediaType)
        {
            await RefuseAsync(context, signal, StatusCodes.Status415UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE", $"POST {path}: Content-Type '{context.Request.ContentType}'", credential, null).ConfigureAwait(false);
            return;
        }

        store.RecordCredential(credential, accepted: true);
        await IngestResponses.WriteJsonTextAsync(context, StatusCodes.Status202Accepted, Accepted).ConfigureAwait(false);
    }

    private void IngestSeries(HttpContext context, RequestBody body, OtlpCapture.Origin origin)
    {
        if (IngestResponses.IsMediaType(context.Request, IngestResponses.Protobuf))
        {
            store.AddMetrics(CollectionsMarshal.AsSpan(DatadogCapture.Series(body.Buffer, body.Length, origin)));
            return;
        }

        IngestSeriesJson(context, body, origin);
    }

    private void IngestSeriesJson(HttpContext context, RequestBody body, OtlpCapture.Origin origin)
    {
        RequireJson(context.Request);
        using var json = JsonDocument.Parse(body.Buffer.AsMemory(0, body.Length));
        store.AddMetrics(CollectionsMarshal.AsSpan(DatadogCapture.SeriesJson(json.RootElement, origin)));
    }

    private void IngestSketches(HttpContext context, RequestBody body, OtlpCapture.Origin origin)
    {
        var payload = SketchPayload.Parser.ParseFrom(body.Buffer, 0, body.Length);
        store.AddMetrics(CollectionsMarshal.AsSpan(DatadogCapture.Sketches(payload, origin)));
    }

    private void IngestTraces(HttpContext context, RequestBody body, OtlpCapture.Origin origin)
    {
        if (!IngestResponses.IsMediaType(context.Request, IngestResponses.Protobuf))
        {
            throw new UnsupportedMediaType();
        }

        var payload = AgentPayload.Parser.ParseFrom(body.Buffer, 0, body.Length);
        store.AddSpans(CollectionsMarshal.AsSpan(DatadogCapture.Spans(payload, origin)));
    }

    private void IngestLogs(HttpContext context, RequestBody body, OtlpCapture.Origin origin)
    {
        RequireJson(context.Request);
        using var json = JsonDocument.Parse(body.Buffer.AsMemory(0, body.Length));
        store.AddLogs(CollectionsMarshal.AsSpan(DatadogCapture.Logs(json.RootElement, origin)));
    }

    /// <summary>Stats (msgpack StatsPayload) and host metadata are counted, not decoded.</summary>
    private void CountOnly(HttpContext context, RequestBody body, OtlpCapture.Origin origin) =>
        store.RecordOtherIntake(context.Request.Path.Value ?? "", body.Length);

    private async Task RefuseAsync(HttpContext context, Signal signal, int status, string reason, string detail, CredentialFingerprint credential, string? json)
    {
        store.AddRejection(IngestResponses.Rejection(store, signal, status, reason, detail, credential), wholeRequest: true);
        store.RecordCredential(credential, accepted: false);
        if (json is null)
        {
            context.Response.StatusCode = status;
            return;
        }

        await IngestResponses.WriteJsonTextAsync(context, status, json).ConfigureAwait(false);
    }

    private static void RequireJson(HttpRequest request)
    {
        if (!IngestResponses.IsMediaType(request, "application/json"))
        {
            throw new UnsupportedMediaType();
        }
    }

    /// <summary>The <c>DD-API-KEY</c> header (any case), else the <c>api_key</c> query parameter.</summary>
    private static string? ApiKey(HttpRequest request)
    {
        var header = request.Headers["DD-API-KEY"].ToString();
        if (header.Length > 0)
        {
            return header;
        }

        var query = request.Query["api_key"].ToString();
        return query.Length == 0 ? null : query;
    }

    private sealed class UnsupportedMediaType : Exception;
}
