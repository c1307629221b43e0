using Grpc.Core;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OtelLab.Sim.Collector.Otlp;

namespace OtelLab.Sim.Collector.Receivers.Otlp.Internal;

/// <summary>
/// upstream receiver/otlpreceiver/internal/trace/otlp.go: Export converts, pushes with the client info in the context,
/// and maps a pipeline error to a status — permanent → InvalidArgument, otherwise Unavailable (errors.GetStatusFromError).
/// </summary>
internal sealed class OtlpGrpcTraceService(OtlpReceiver receiver) : TraceService.TraceServiceBase
{
    public override async Task<ExportTraceServiceResponse> Export(ExportTraceServiceRequest request, ServerCallContext context)
    {
        var spans = OtlpConverter.ToSpans(request);
        var http = context.GetHttpContext();
        var error = await receiver.PushTracesAsync(spans, "grpc", http, context.CancellationToken).ConfigureAwait(false);
        return error is null ? new ExportTraceServiceResponse() : throw Status(error.Value);
    }

    internal static RpcException Status((bool Permanent, string Message) error) =>
        new(new Status(error.Permanent ? StatusCode.InvalidArgument : StatusCode.Unavailable, error.Message));
}

/// <summary>The metrics twin of <see cref="OtlpGrpcTraceService"/> (receiver/otlpreceiver/internal/metrics/otlp.go).</summary>
internal sealed class OtlpGrpcMetricsService(OtlpReceiver receiver) : MetricsService.MetricsServiceBase
{
    public override async Task<ExportMetricsServiceResponse> Export(ExportMetricsServiceRequest request, ServerCallContext context)
    {
        var points = OtlpConverter.ToPoints(request);
        var error = await receiver.PushMetricsAsync(points, "grpc", context.GetHttpContext(), context.CancellationToken).ConfigureAwait(false);
        return error is null ? new ExportMetricsServiceResponse() : throw OtlpGrpcTraceService.Status(error.Value);
    }
}
