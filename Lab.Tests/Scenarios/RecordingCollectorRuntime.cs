using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OtelLab.Sim.Kubelet;
using OtelLab.Tests.SampleServices;

namespace OtelLab.Tests.Scenarios;

/// <summary>
/// A recording stand-in for the collector image: each collector pod gets an OTLP receiver on
/// its pod IP (gRPC 4317, HTTP 4318) that records every span with the connection's source address, the pod and the
/// node that took it. Metrics are accepted and dropped. Test support only — not an emulation of the collector.
/// </summary>
internal sealed class RecordingCollectorRuntime
{
    private readonly ConcurrentQueue<AgentSpan> _spans = new();

    public InProcessContainerRuntime Runtime { get; } = new();

    public IReadOnlyList<AgentSpan> Spans => [.. _spans];

    public RecordingCollectorRuntime()
    {
        Runtime.Register("otel/opentelemetry-collector-contrib:*", RunAsync);
    }

    private async Task<int> RunAsync(ContainerContext context, CancellationToken stop)
    {
        var pod = context.Pod.Metadata.Name;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(new TraceSink(this, pod, context.NodeName));
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(context.PodAddress, 4317, o => o.Protocols = HttpProtocols.Http2);
            k.Listen(context.PodAddress, 4318, o => o.Protocols = HttpProtocols.Http1AndHttp2);
        });
        await using var app = builder.Build();
        app.MapGrpcService<GrpcTraces>();
        app.MapGrpcService<GrpcMetrics>();
        app.MapPost("/v1/traces", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            var input = request.Headers.ContentEncoding.ToString() == "gzip" ? new GZipStream(request.Body, CompressionMode.Decompress) : request.Body;
            await input.CopyToAsync(body, request.HttpContext.RequestAborted);
            var json = request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true;
            var spans = json ? OtlpTraceReceiver.DecodeJson(body.ToArray()) : OtlpTraceReceiver.DecodeProtobuf(body.ToArray());
            Record(spans, request.HttpContext.Connection.RemoteIpAddress, pod, context.NodeName, json ? "http/json" : "http/protobuf");
            return json ? Results.Text("{}", "application/json") : Results.Bytes([], "application/x-protobuf");
        });
        app.MapPost("/v1/metrics", () => Results.Ok());
        app.MapPost("/v1/logs", () => Results.Ok());
        await app.StartAsync(stop);
        context.Log.Write($"recording OTLP receiver on {context.PodAddress}:4317 (grpc) and :4318 (http)");
        context.Readiness.Set(true);
        try
        {
            await Task.Delay(Timeout.Infinite, stop);
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
        }

        return 0;
    }

    private void Record(IEnumerable<ReceivedSpan> spans, IPAddress? source, string pod, string node, string protocol)
    {
        foreach (var span in spans)
        {
            _spans.Enqueue(new AgentSpan(span, (source?.IsIPv4MappedToIPv6 == true ? source.MapToIPv4() : source) ?? IPAddress.None, pod, node, protocol));
        }
    }

    internal sealed record TraceSink(RecordingCollectorRuntime Owner, string Pod, string Node);

    internal sealed class GrpcTraces(TraceSink sink) : TraceService.TraceServiceBase
    {
        public override Task<ExportTraceServiceResponse> Export(ExportTraceServiceRequest request, ServerCallContext context)
        {
            var remote = context.GetHttpContext().Connection.RemoteIpAddress;
            sink.Owner.Record(OtlpTraceReceiver.DecodeProtobuf(Google.Protobuf.MessageExtensions.ToByteArray(request)), remote, sink.Pod, sink.Node, "grpc");
            return Task.FromResult(new ExportTraceServiceResponse());
        }
    }

    internal sealed class GrpcMetrics : MetricsService.MetricsServiceBase
    {
        public override Task<ExportMetricsServiceResponse> Export(ExportMetricsServiceRequest request, ServerCallContext context) =>
            Task.FromResult(new ExportMetricsServiceResponse());
    }
}
