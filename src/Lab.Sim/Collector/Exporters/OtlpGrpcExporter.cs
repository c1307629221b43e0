using Grpc.Core;
using Grpc.Net.Client;
using OtelLab.Sim.Collector.Exporters.Internal;
using OtelLab.Sim.Collector.Metrics;
using OtelLab.Sim.Collector.Otlp;
using OtelLab.Sim.Collector.Pipeline;
using OtelLab.Sim.Collector.Runtime;
using OtelLab.Sim.Collector.Traces;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using TraceClient = OpenTelemetry.Proto.Collector.Trace.V1.TraceService.TraceServiceClient;

namespace OtelLab.Sim.Collector.Exporters;

/// <summary>
/// The <c>otlp</c> exporter: OTLP/gRPC from the pod to <c>endpoint</c> (<c>host:port</c>, resolved by cluster DNS),
/// with <c>headers</c> and <c>compression</c> (gzip by default), through <see cref="QueuedRetryExporter"/>.
/// upstream: exporter/otlpexporter (otlp.go: a response's partial_success is logged "Partial success response" and the
/// push succeeds; processError: retryable codes Canceled, DeadlineExceeded, Aborted, OutOfRange, Unavailable,
/// DataLoss, ResourceExhausted only with RetryInfo — the lab never sends RetryInfo, so it is permanent; configgrpc:
/// TLS is on unless <c>tls.insecure: true</c> or an <c>http://</c> endpoint, and the lab's receivers speak plaintext,
/// so a TLS client fails the handshake as a real one would).
/// </summary>
public sealed class OtlpGrpcExporter : QueuedRetryExporter
{
    private static readonly StatusCode[] Retryable =
        [StatusCode.Cancelled, StatusCode.DeadlineExceeded, StatusCode.Aborted, StatusCode.OutOfRange, StatusCode.Unavailable, StatusCode.DataLoss];

    // MetricsService/Export with the request written straight from the points (OtlpMetricsWriter: the bytes the
    // generated client would send, without the protobuf object graph); the response is the generated message.
    private static readonly Method<byte[], ExportMetricsServiceResponse> ExportMetrics = new(
        MethodType.Unary,
        MetricsService.Descriptor.FullName,
        "Export",
        Marshallers.Create(static bytes => bytes, static bytes => bytes),
        Marshallers.Create(static (ExportMetricsServiceResponse r) => Google.Protobuf.MessageExtensions.ToByteArray(r), ExportMetricsServiceResponse.Parser.ParseFrom));

    private readonly string _endpoint;
    private readonly Metadata _headers = [];
    private readonly bool _tls;
    private GrpcChannel? _channel;
    private TraceClient? _traces;
    private CallInvoker? _invoker;

    public OtlpGrpcExporter(ComponentCreateContext context)
        : base(context)
    {
        var settings = new ComponentSettings(context.Id, context.Settings);
        var endpoint = settings.String("endpoint") ?? throw settings.Error("requires a non-empty \"endpoint\"");
        var scheme = endpoint.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? "https" : endpoint.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ? "http" : null;
        var hostPort = scheme is null ? endpoint : endpoint[(scheme.Length + 3)..].TrimEnd('/');
        _tls = scheme == "https" || (scheme is null && !settings.Section("tls").Bool("insecure", false));
        _endpoint = hostPort;
        foreach (var (name, value) in settings.StringMap("headers"))
        {
            _headers.Add(name.ToLowerInvariant(), value);
        }

        var compression = settings.String("compression", "gzip");
        if (compression is "gzip")
        {
            _headers.Add("grpc-internal-encoding-request", "gzip");
        }
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        _channel = GrpcChannel.ForAddress($"http://{_endpoint}", new GrpcChannelOptions
        {
            HttpHandler = PodHttpHandler.Create(Context.Container),
            DisposeHttpClient = true,
        });
        _traces = new TraceClient(_channel);
        _invoker = _channel.CreateCallInvoker();
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public override async Task ShutdownAsync(CancellationToken cancellationToken)
    {
        await base.ShutdownAsync(cancellationToken).ConfigureAwait(false);
        _channel?.Dispose();
    }

    protected override async Task<ExportResult> PushTracesAsync(IReadOnlyList<TraceSpan> spans, CancellationToken cancellationToken)
    {
        if (_tls)
        {
            return TlsHandshakeFailure();
        }

        try
        {
            var response = await _traces!.ExportAsync(OtlpConverter.FromSpans(spans), _headers, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (response.PartialSuccess is { } partial && (partial.RejectedSpans > 0 || partial.ErrorMessage.Length > 0))
            {
                LogPartialSuccess(partial.ErrorMessage, partial.RejectedSpans);
            }

            return ExportResult.Success;
        }
        catch (RpcException e)
        {
            return Classify(e);
        }
    }

    protected override async Task<ExportResult> PushMetricsAsync(IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken)
    {
        if (_tls)
        {
            return TlsHandshakeFailure();
        }

        try
        {
            var response = await _invoker!.AsyncUnaryCall(ExportMetrics, null, new CallOptions(_headers, cancellationToken: cancellationToken), OtlpMetricsWriter.Write(points)).ConfigureAwait(false);
            if (response.PartialSuccess is { } partial && (partial.RejectedDataPoints > 0 || partial.ErrorMessage.Length > 0))
            {
                LogPartialSuccess(partial.ErrorMessage, partial.RejectedDataPoints);
            }

            return ExportResult.Success;
        }
        catch (RpcException e)
        {
            return Classify(e);
        }
    }

    private ExportResult TlsHandshakeFailure() =>
        ExportResult.Retry($"rpc error: code = Unavailable desc = connection error: desc = \"transport: authentication handshake failed: tls: first record does not look like a TLS handshake\" (target {_endpoint})");

    private static ExportResult Classify(RpcException e)
    {
        var text = $"rpc error: code = {e.StatusCode} desc = {e.Status.Detail}";
        return Retryable.Contains(e.StatusCode) ? ExportResult.Retry(text) : ExportResult.Permanent(text);
    }
}
