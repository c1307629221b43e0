using System.IO.Compression;
using System.Net;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OtelLab.Sim.Collector.Metrics;
using OtelLab.Sim.Collector.Otlp;
using OtelLab.Sim.Collector.Pipeline;
using OtelLab.Sim.Collector.Receivers.Otlp.Internal;
using OtelLab.Sim.Collector.Runtime;
using OtelLab.Sim.Collector.Runtime.Internal;
using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Sim.Collector.Receivers.Otlp;

/// <summary>
/// The <c>otlp</c> receiver: OTLP/gRPC (<c>protocols.grpc</c>, 4317) and OTLP/HTTP (<c>protocols.http</c>, 4318,
/// <c>/v1/traces</c> and <c>/v1/metrics</c>, protobuf or JSON, gzip) on the pod address. Every push runs with
/// <see cref="ClientInfo"/> set to the connection's address (and the request headers when <c>include_metadata</c>),
/// counts <c>otelcol_receiver_accepted_*</c>/<c>refused_*</c>, and answers a refusal as upstream does.
/// upstream: receiver/otlpreceiver (config.go: a protocol is enabled by being present; "must specify at least one
/// protocol when using the OTLP receiver"; otlphttp.go: 405 for non-POST, 415 for other content types, 400 for a
/// body that does not decode, 503 (retryable) or 400 (permanent) for a pipeline error; gRPC: Unavailable or InvalidArgument).
/// </summary>
public sealed class OtlpReceiver : ICollectorComponent
{
    private const string Protobuf = "application/x-protobuf";
    private const string Json = "application/json";

    private readonly ComponentCreateContext _context;
    private readonly ReceiverTelemetry _telemetry;
    private readonly PodEndpoint? _grpc;
    private readonly PodEndpoint? _http;
    private readonly string _tracesPath;
    private readonly string _metricsPath;
    private readonly bool _includeMetadata;
    private readonly List<PodListener> _listeners = [];

    public OtlpReceiver(ComponentCreateContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        var settings = new ComponentSettings(context.Id, context.Settings);
        var protocols = settings.Section("protocols");
        if (!protocols.Contains("grpc") && !protocols.Contains("http"))
        {
            throw new CollectorStartException(
                $"invalid configuration: receivers::{context.Id}: must specify at least one protocol when using the OTLP receiver");
        }

        if (protocols.Contains("grpc"))
        {
            var grpc = protocols.Section("grpc");
            _grpc = PodEndpoint.Parse(grpc.String("endpoint"), 4317, context.Container);
            _includeMetadata |= grpc.Bool("include_metadata", false);
        }

        if (protocols.Contains("http"))
        {
            var http = protocols.Section("http");
            _http = PodEndpoint.Parse(http.String("endpoint"), 4318, context.Container);
            _includeMetadata |= http.Bool("include_metadata", false);
            _tracesPath = http.String("traces_url_path", "/v1/traces")!;
            _metricsPath = http.String("metrics_url_path", "/v1/metrics")!;
        }

        _tracesPath ??= "/v1/traces";
        _metricsPath ??= "/v1/metrics";
        _telemetry = new ReceiverTelemetry(context.Telemetry, context.Id.ToString());
    }

    /// <summary>Where OTLP/gRPC listens (null when the protocol is not configured).</summary>
    public IPEndPoint? GrpcEndpoint => _grpc is null ? null : new IPEndPoint(_grpc.Address, _grpc.Port);

    /// <summary>Where OTLP/HTTP listens (null when the protocol is not configured).</summary>
    public IPEndPoint? HttpEndpoint => _http is null ? null : new IPEndPoint(_http.Address, _http.Port);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var log = new CollectorLog(_context.Container.Log, _context.Time);
        if (_grpc is not null)
        {
            _listeners.Add(await PodListener.StartAsync(_grpc, HttpProtocols.Http2, services =>
            {
                services.AddGrpc(o => o.MaxReceiveMessageSize = 4 * 1024 * 1024);
                services.AddSingleton(new OtlpGrpcTraceService(this));
                services.AddSingleton(new OtlpGrpcMetricsService(this));
            }, app =>
            {
                if (_context.NextTraces is not null)
                {
                    app.MapGrpcService<OtlpGrpcTraceService>();
                }

                if (_context.NextMetrics is not null)
                {
                    app.MapGrpcService<OtlpGrpcMetricsService>();
                }
            }, cancellationToken).ConfigureAwait(false));
            log.Info("Starting GRPC server", CollectorLog.Component("receiver", _context.Id.ToString(), null, ("endpoint", _grpc.Configured)));
        }

        if (_http is not null)
        {
            _listeners.Add(await PodListener.StartAsync(_http, HttpProtocols.Http1AndHttp2, _ => { }, app =>
            {
                if (_context.NextTraces is not null)
                {
                    app.Map(_tracesPath, HandleTracesAsync);
                }

                if (_context.NextMetrics is not null)
                {
                    app.Map(_metricsPath, HandleMetricsAsync);
                }
            }, cancellationToken).ConfigureAwait(false));
            log.Info("Starting HTTP server", CollectorLog.Component("receiver", _context.Id.ToString(), null, ("endpoint", _http.Configured)));
        }
    }

    public async Task ShutdownAsync(CancellationToken cancellationToken)
    {
        foreach (var listener in _listeners)
        {
            await listener.DisposeAsync().ConfigureAwait(false);
        }

        _listeners.Clear();
    }

    public ValueTask DisposeAsync() => new(ShutdownAsync(CancellationToken.None));

    internal Task<(bool Permanent, string Message)?> PushTracesAsync(List<TraceSpan> spans, string transport, HttpContext http, CancellationToken cancellationToken) =>
        PushAsync("traces", spans.Count, transport, http, ct => _context.NextTraces!.ConsumeAsync(spans, ct), cancellationToken);

    internal Task<(bool Permanent, string Message)?> PushMetricsAsync(List<MetricPoint> points, string transport, HttpContext http, CancellationToken cancellationToken) =>
        PushAsync("metrics", points.Count, transport, http, ct => _context.NextMetrics!.ConsumeAsync(points, ct), cancellationToken);

    private async Task<(bool Permanent, string Message)?> PushAsync(
        string signal, int items, string transport, HttpContext http, Func<CancellationToken, ValueTask> push, CancellationToken cancellationToken)
    {
        if (items == 0)
        {
            return null;
        }

        var metadata = _includeMetadata
            ? http.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
        using (ClientInfo.Enter(new ClientInfo(http.Connection.RemoteIpAddress, metadata)))
        {
            try
            {
                await push(cancellationToken).ConfigureAwait(false);
                _telemetry.Record(signal, transport, items, accepted: true);
                return null;
            }
            catch (ConsumerRefusedException e)
            {
                _telemetry.Record(signal, transport, items, accepted: false);
                return (e.Permanent, e.Message);
            }
            catch (Exception e) when (e is not OutOfMemoryException and not OperationCanceledException)
            {
                // A component bug must not take the receiver down: refuse, as an error return would.
                _telemetry.Record(signal, transport, items, accepted: false);
                return (false, e.Message);
            }
        }
    }

    private Task HandleTracesAsync(HttpContext http) =>
        HandleAsync(http, body => OtlpConverter.ToSpans(body.Json ? OtlpJson.Parse<ExportTraceServiceRequest>(body.Bytes) : ExportTraceServiceRequest.Parser.ParseFrom(body.Bytes)),
            (spans, ct) => PushTracesAsync(spans, "http", http, ct), json => json ? "{}" : new ExportTraceServiceResponse());

    private Task HandleMetricsAsync(HttpContext http) =>
        HandleAsync(http, body => OtlpConverter.ToPoints(body.Json ? OtlpJson.Parse<ExportMetricsServiceRequest>(body.Bytes) : ExportMetricsServiceRequest.Parser.ParseFrom(body.Bytes)),
            (points, ct) => PushMetricsAsync(points, "http", http, ct), json => json ? "{}" : new ExportMetricsServiceResponse());

    private static async Task HandleAsync<T>(
        HttpContext http, Func<(byte[] Bytes, bool Json), T> decode, Func<T, CancellationToken, Task<(bool Permanent, string Message)?>> push,
        Func<bool, object> success)
    {
        var request = http.Request;
        var response = http.Response;
        if (!HttpMethods.IsPost(request.Method))
        {
            response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            response.Headers.Allow = "POST";
            await response.WriteAsync($"{request.Method} method not allowed, supported: [POST]", http.RequestAborted).ConfigureAwait(false);
            return;
        }

        var mediaType = (request.ContentType ?? string.Empty).Split(';')[0].Trim().ToLowerInvariant();
        if (mediaType is not (Protobuf or Json))
        {
            response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            await response.WriteAsync($"{mediaType} unsupported media type, supported: [{Json}, {Protobuf}]", http.RequestAborted).ConfigureAwait(false);
            return;
        }

        var json = mediaType == Json;
        T items;
        try
        {
            var bytes = await ReadBodyAsync(request, http.RequestAborted).ConfigureAwait(false);
            items = decode((bytes, json));
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidDataException or System.Text.Json.JsonException or FormatException or InvalidOperationException)
        {
            await WriteStatusAsync(http, json, StatusCodes.Status400BadRequest, 3, e.Message).ConfigureAwait(false);
            return;
        }

        var error = await push(items, http.RequestAborted).ConfigureAwait(false);
        if (error is { } e2)
        {
            // upstream errors.GetHTTPStatusCodeFromStatus: Unavailable → 503, InvalidArgument → 400.
            await WriteStatusAsync(http, json, e2.Permanent ? StatusCodes.Status400BadRequest : StatusCodes.Status503ServiceUnavailable,
                e2.Permanent ? 3 : 14, e2.Message).ConfigureAwait(false);
            return;
        }

        response.StatusCode = StatusCodes.Status200OK;
        if (success(json) is IMessage message)
        {
            response.ContentType = Protobuf;
            await response.Body.WriteAsync(message.ToByteArray(), http.RequestAborted).ConfigureAwait(false);
        }
        else
        {
            response.ContentType = Json;
            await response.WriteAsync("{}", http.RequestAborted).ConfigureAwait(false);
        }
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var encoding = request.Headers.ContentEncoding.ToString().Trim().ToLowerInvariant();
        using var buffer = new MemoryStream();
        Stream source = encoding switch
        {
            "" or "identity" => request.Body,
            "gzip" => new GZipStream(request.Body, CompressionMode.Decompress, leaveOpen: true),
            "deflate" => new ZLibStream(request.Body, CompressionMode.Decompress, leaveOpen: true),
            // upstream confighttp decompressor: "unsupported Content-Encoding" → 400.
            _ => throw new InvalidDataException($"unsupported Content-Encoding: {encoding}"),
        };
        await using (source.ConfigureAwait(false))
        {
            await source.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        }

        return buffer.ToArray();
    }

    // upstream otlphttp.go writeError: the body is a google.rpc.Status in the request's encoding.
    private static async Task WriteStatusAsync(HttpContext http, bool json, int httpStatus, int grpcCode, string message)
    {
        http.Response.StatusCode = httpStatus;
        if (json)
        {
            http.Response.ContentType = Json;
            await http.Response.WriteAsync(
                System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object> { ["code"] = grpcCode, ["message"] = message }), http.RequestAborted).ConfigureAwait(false);
        }
        else
        {
            // google.rpc.Status { int32 code = 1; string message = 2; } written by hand (Lab.Backends owns the .proto).
            using var buffer = new MemoryStream();
            var output = new CodedOutputStream(buffer);
            output.WriteTag(1, WireFormat.WireType.Varint);
            output.WriteInt32(grpcCode);
            output.WriteTag(2, WireFormat.WireType.LengthDelimited);
            output.WriteString(message);
            output.Flush();
            http.Response.ContentType = Protobuf;
            await http.Response.Body.WriteAsync(buffer.ToArray(), http.RequestAborted).ConfigureAwait(false);
        }
    }
}
