using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OtelLab.Sim.Networking;

namespace OtelLab.Load.Traces;

/// <summary>
/// A local OTLP trace sink for load runs and benchmarks (gRPC and HTTP/protobuf): counts spans, keeps the trace ids
/// and error-span trace ids it received, spans per connection source address, and the receive window for a rate.
/// Not a collector: it accepts everything.
/// </summary>
public sealed class OtlpTraceSink : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, byte> _traceIds = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _errorTraceIds = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<IPAddress, long> _bySource = new();
    private readonly long _started = Stopwatch.GetTimestamp();
    private WebApplication? _app;
    private long _spans;
    private long _requests;
    private long _first = -1;
    private long _last = -1;

    public long SpansReceived => Interlocked.Read(ref _spans);

    public long Requests => Interlocked.Read(ref _requests);

    public IReadOnlyCollection<string> TraceIds => _traceIds.Keys.ToList();

    /// <summary>Trace ids of which at least one received span has status ERROR.</summary>
    public IReadOnlyCollection<string> ErrorTraceIds => _errorTraceIds.Keys.ToList();

    /// <summary>Spans received per connection source address.</summary>
    public IReadOnlyDictionary<IPAddress, long> SpansBySource => new Dictionary<IPAddress, long>(_bySource);

    /// <summary>When the last request arrived (<see cref="Stopwatch.GetTimestamp"/>; 0 before any), to measure a receive rate from a known start.</summary>
    public long LastReceivedTimestamp => _last < 0 ? 0 : _started + Interlocked.Read(ref _last);

    /// <summary>Time between the first and the last received request.</summary>
    public TimeSpan ReceiveWindow => _first < 0 ? TimeSpan.Zero : TimeSpan.FromTicks((Interlocked.Read(ref _last) - Interlocked.Read(ref _first)) * TimeSpan.TicksPerSecond / Stopwatch.Frequency);

    /// <summary>Starts listening: OTLP/gRPC on <paramref name="grpc"/>, OTLP/HTTP on <paramref name="http"/> (either may be null). Loopback only.</summary>
    public static async Task<OtlpTraceSink> StartAsync(IPEndPoint? grpc, IPEndPoint? http, CancellationToken cancellationToken)
    {
        foreach (var e in new[] { grpc, http }.OfType<IPEndPoint>().Where(e => !IPAddress.IsLoopback(e.Address)))
        {
            throw new ArgumentException($"{e} is not loopback (the lab only uses 127.0.0.0/8)");
        }

        var sink = new OtlpTraceSink();
        var builder = LoopbackWebHost.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddGrpc(o => o.MaxReceiveMessageSize = 64 * 1024 * 1024);
        builder.Services.AddSingleton(sink);
        builder.WebHost.ConfigureKestrel(k =>
        {
            if (grpc is not null)
            {
                k.Listen(grpc, o => o.Protocols = HttpProtocols.Http2);
            }

            if (http is not null)
            {
                k.Listen(http, o => o.Protocols = HttpProtocols.Http1AndHttp2);
            }
        });
        var app = builder.Build();
        app.MapGrpcService<GrpcTraceService>();
        app.MapPost("/v1/traces", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body, request.HttpContext.RequestAborted).ConfigureAwait(false);
            try
            {
                sink.Record(ExportTraceServiceRequest.Parser.ParseFrom(body.ToArray()), request.HttpContext.Connection.RemoteIpAddress);
            }
            catch (InvalidProtocolBufferException)
            {
                return Results.BadRequest();
            }

            return Results.Bytes(new ExportTraceServiceResponse().ToByteArray(), "application/x-protobuf");
        });
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        sink._app = app;
        return sink;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void Record(ExportTraceServiceRequest request, IPAddress? remote)
    {
        var now = Stopwatch.GetTimestamp() - _started;
        Interlocked.CompareExchange(ref _first, now, -1);
        Interlocked.Exchange(ref _last, now);
        Interlocked.Increment(ref _requests);
        long count = 0;
        foreach (var span in request.ResourceSpans.SelectMany(r => r.ScopeSpans).SelectMany(s => s.Spans))
        {
            count++;
            var id = Convert.ToHexStringLower(span.TraceId.Span);
            _traceIds.TryAdd(id, 0);
            if (span.Status?.Code == OpenTelemetry.Proto.Trace.V1.Status.Types.StatusCode.Error)
            {
                _errorTraceIds.TryAdd(id, 0);
            }
        }

        Interlocked.Add(ref _spans, count);
        var source = remote is null ? IPAddress.None : remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote;
        _bySource.AddOrUpdate(source, count, (_, n) => n + count);
    }

    private sealed class GrpcTraceService(OtlpTraceSink sink) : TraceService.TraceServiceBase
    {
        public override Task<ExportTraceServiceResponse> Export(ExportTraceServiceRequest request, ServerCallContext context)
        {
            sink.Record(request, context.GetHttpContext().Connection.RemoteIpAddress);
            return Task.FromResult(new ExportTraceServiceResponse());
        }
    }
}
