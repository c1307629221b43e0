using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OtelLab.Backends.Capture;
using OtelLab.Backends.Capture.Internal;
using OtelLab.Backends.Faults;
using OtelLab.Backends.Hosting.Internal;
using RpcStatus = OtelLab.Backends.Internal.Rpc.Status;

namespace OtelLab.Backends.Dynatrace.Internal;

/// <summary>
/// Dynatrace's OTLP/HTTP ingest: POST /api/v2/otlp/v1/{traces,metrics,logs}, binary protobuf only, gzip accepted,
/// Api-Token auth with per-signal scopes, per-signal size limits, and the metric rules of
/// <see cref="DynatraceMetricRules"/> answered as HTTP 200 partial_success (backends.md).
/// </summary>
internal sealed class DynatraceOtlpEndpoints(DynatraceTokens tokens, CaptureStore store, BackendFaults faults, TimeProvider time)
{
    public const string BasePath = "/api/v2/otlp";

    // backends.md: traces 8 MB, metrics 4 MB, logs 2 MB. UNCONFIRMED whether the limit applies before or after
    // gzip; the lab applies it to both, which also caps a decompression bomb.
    public const int TracesLimit = 8 * 1024 * 1024;
    public const int MetricsLimit = 4 * 1024 * 1024;
    public const int LogsLimit = 2 * 1024 * 1024;

    // backends.md: "Content-Encoding: gzip accepted". UNCONFIRMED whether Dynatrace also takes zstd/deflate from
    // otlphttp's other compression settings; the lab answers them 415 so such a setting is noticed.

    /// <summary>gRPC code 16 = UNAUTHENTICATED (google.rpc.Code).</summary>
    private const int Unauthenticated = 16;

    /// <summary>gRPC code 3 = INVALID_ARGUMENT.</summary>
    private const int InvalidArgument = 3;

    /// <summary>gRPC code 7 = PERMISSION_DENIED.</summary>
    private const int PermissionDenied = 7;

    private static readonly IMessage EmptyTraceResponse = new ExportTraceServiceResponse();
    private static readonly IMessage EmptyLogsResponse = new ExportLogsServiceResponse();

    public void Map(WebApplication app)
    {
        app.MapPost(BasePath + "/v1/traces", context => HandleAsync(context, Signal.Traces, DynatraceScopes.TracesIngest, TracesLimit, IngestTraces));
        app.MapPost(BasePath + "/v1/metrics", context => HandleAsync(context, Signal.Metrics, DynatraceScopes.MetricsIngest, MetricsLimit, IngestMetrics));
        app.MapPost(BasePath + "/v1/logs", context => HandleAsync(context, Signal.Logs, DynatraceScopes.LogsIngest, LogsLimit, IngestLogs));
    }

    private async Task HandleAsync(HttpContext context, Signal signal, string scope, int limit, Func<HttpContext, RequestBody, CredentialFingerprint, Task> ingest)
    {
        if (await FaultGate.AnsweredAsync(context, faults, time).ConfigureAwait(false))
        {
            return;
        }

        // Auth first, as an API gateway would: nothing of an unauthenticated request is read.
        var token = ApiToken(context.Request);
        var credential = CredentialFingerprint.Of(token);
        var scopes = token is null ? null : tokens.ScopesOf(token);
        if (scopes is null)
        {
            var message = token is null ? "Missing authorization parameter." : "Token Authentication failed";
            await RefuseAsync(context, signal, StatusCodes.Status401Unauthorized, "UNAUTHORIZED", message, credential).ConfigureAwait(false);
            return;
        }

        if (!scopes.Contains(scope))
        {
            // UNCONFIRMED (backends.md): 403 for a known token without the signal's scope.
            await RefuseAsync(context, signal, StatusCodes.Status403Forbidden, "MISSING_SCOPE", $"Token is missing required scope. Use one of: {scope}", credential).ConfigureAwait(false);
            return;
        }

        if (!IngestResponses.IsMediaType(context.Request, IngestResponses.Protobuf))
        {
            // Dynatrace accepts binary protobuf only (no OTLP/JSON).
            await RefuseAsync(context, signal, StatusCodes.Status415UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE", $"Content-Type '{context.Request.ContentType}' is not supported; use application/x-protobuf", credential).ConfigureAwait(false);
            return;
        }

        using var body = await RequestBody.ReadAsync(context.Request, limit, limit, ContentEncodings.Gzip, context.RequestAborted).ConfigureAwait(false);
        if (body.Status != BodyStatus.Ok)
        {
            var (status, reason) = IngestResponses.Of(body.Status);
            await RefuseAsync(context, signal, status, reason, $"{body.WireBytes} bytes on the wire; limit {limit} bytes", credential).ConfigureAwait(false);
            return;
        }

        try
        {
            await ingest(context, body, credential).ConfigureAwait(false);
            store.RecordCredential(credential, accepted: true);
        }
        catch (InvalidProtocolBufferException)
        {
            await RefuseAsync(context, signal, StatusCodes.Status400BadRequest, "MALFORMED_PROTOBUF", $"{body.Length} bytes are not a valid OTLP {signal} request", credential).ConfigureAwait(false);
        }
    }

    private Task IngestTraces(HttpContext context, RequestBody body, CredentialFingerprint credential)
    {
        var request = ExportTraceServiceRequest.Parser.ParseFrom(body.Buffer, 0, body.Length);
        store.AddSpans(OtlpCapture.Spans(request, Origin(context, credential)));
        return IngestResponses.WriteProtobufAsync(context, StatusCodes.Status200OK, EmptyTraceResponse);
    }

    private Task IngestLogs(HttpContext context, RequestBody body, CredentialFingerprint credential)
    {
        var request = ExportLogsServiceRequest.Parser.ParseFrom(body.Buffer, 0, body.Length);
        store.AddLogs(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(OtlpCapture.Logs(request, Origin(context, credential))));
        return IngestResponses.WriteProtobufAsync(context, StatusCodes.Status200OK, EmptyLogsResponse);
    }

    private async Task IngestMetrics(HttpContext context, RequestBody body, CredentialFingerprint credential)
    {
        var origin = Origin(context, credential);
        var verdict = DynatraceMetricIngest.Judge(body.Buffer, body.Length, origin);
        if (verdict.TotalPoints > DynatraceMetricRules.MaxDataPointsPerRequest)
        {
            // UNCONFIRMED: the status Dynatrace uses for more than 15,000 points; 413 like the byte limits.
            await RefuseAsync(context, Signal.Metrics, StatusCodes.Status413PayloadTooLarge, "TOO_MANY_DATA_POINTS",
                $"{verdict.TotalPoints} data points; limit {DynatraceMetricRules.MaxDataPointsPerRequest} per request", credential, verdict.TotalPoints).ConfigureAwait(false);
            return;
        }

        store.AddMetrics(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(verdict.Accepted));
        var response = new ExportMetricsServiceResponse();
        if (verdict.Refusals.Count > 0)
        {
            var rejected = verdict.Refusals.Sum(r => r.Points);
            foreach (var (metric, reason, points, service) in verdict.Refusals)
            {
                store.AddRejection(new CapturedRejection(store.Backend, Signal.Metrics, StatusCodes.Status200OK, reason,
                    "partial_success: " + DynatraceMetricRules.Line(metric, reason), metric, points, service, credential, origin.At), wholeRequest: false);
            }

            response.PartialSuccess = new ExportMetricsPartialSuccess
            {
                RejectedDataPoints = rejected,
                ErrorMessage = DynatraceMetricRules.ErrorMessage(verdict.Refusals.Select(r => (r.Metric, r.Reason)).Distinct()),
            };
        }

        await IngestResponses.WriteProtobufAsync(context, StatusCodes.Status200OK, response).ConfigureAwait(false);
    }

    /// <summary>Answers an error with a protobuf google.rpc.Status body (the OTLP/HTTP error form the exporter parses).</summary>
    private async Task RefuseAsync(HttpContext context, Signal signal, int status, string reason, string detail, CredentialFingerprint credential, long items = 0)
    {
        store.AddRejection(IngestResponses.Rejection(store, signal, status, reason, detail, credential, items), wholeRequest: true);
        store.RecordCredential(credential, accepted: false);
        // backends.md: 401 carries code 16. UNCONFIRMED: the codes of the other errors; the gRPC equivalents are used.
        var code = status switch
        {
            StatusCodes.Status401Unauthorized => Unauthenticated,
            StatusCodes.Status403Forbidden => PermissionDenied,
            _ => InvalidArgument,
        };
        await IngestResponses.WriteProtobufAsync(context, status, new RpcStatus { Code = code, Message = detail }).ConfigureAwait(false);
    }

    private OtlpCapture.Origin Origin(HttpContext context, CredentialFingerprint credential) =>
        new(store.Backend, credential, time.GetUtcNow(), IngestResponses.Peer(context));

    /// <summary><c>Authorization: Api-Token &lt;token&gt;</c>, else the <c>api-token</c> query parameter.</summary>
    private static string? ApiToken(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        const string scheme = "Api-Token ";
        if (authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            var token = authorization[scheme.Length..].Trim();
            return token.Length == 0 ? null : token;
        }

        var query = request.Query["api-token"].ToString();
        return query.Length == 0 ? null : query;
    }
}
