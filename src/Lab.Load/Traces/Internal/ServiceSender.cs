using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Threading.Channels;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Resource.V1;
using OpenTelemetry.Proto.Trace.V1;
using OtelLab.Load.Internal;

namespace OtelLab.Load.Traces.Internal;

/// <summary>
/// One emulated service's exporter: a bounded queue of spans, batched into export requests sent from the pod's
/// address. Never throws on the send path: failures are counted by reason.
/// </summary>
internal sealed class ServiceSender : IAsyncDisposable
{
    private readonly EmulatedService _service;
    private readonly TraceLoadOptions _options;
    private readonly Channel<Span> _queue;
    private readonly Resource _resource;
    private readonly SocketsHttpHandler _handler;
    private readonly GrpcChannel? _channel;
    private readonly TraceService.TraceServiceClient? _grpc;
    private readonly HttpClient? _http;
    private readonly ConcurrentDictionary<string, long> _failures;
    private readonly LatencyRecorder _latency;
    private readonly Task _loop;
    private long _sent;
    private long _failed;
    private long _dropped;
    private long _exports;
    private long _failedExports;

    public ServiceSender(EmulatedService service, TraceLoadOptions options, ConcurrentDictionary<string, long> failures, LatencyRecorder latency)
    {
        _service = service;
        _options = options;
        _failures = failures;
        _latency = latency;
        _queue = Channel.CreateBounded<Span>(new BoundedChannelOptions(options.QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _resource = new Resource();
        _resource.Attributes.Add(Attribute("service.name", service.Name));
        foreach (var (key, value) in service.Resource)
        {
            _resource.Attributes.Add(Attribute(key, value));
        }

        // Every connection leaves from the pod's address, as from the pod's network namespace.
        _handler = SourceAddressHandler.Create(service.PodAddress);
        _handler.EnableMultipleHttp2Connections = false;
        if (options.Protocol == OtlpProtocol.Grpc)
        {
            _channel = GrpcChannel.ForAddress(service.Endpoint, new GrpcChannelOptions { HttpHandler = _handler, DisposeHttpClient = false });
            _grpc = new TraceService.TraceServiceClient(_channel);
        }
        else
        {
            _http = new HttpClient(_handler, disposeHandler: false) { Timeout = options.ExportTimeout };
        }

        _loop = Task.Run(LoopAsync);
    }

    public long Sent => Interlocked.Read(ref _sent);

    public long Failed => Interlocked.Read(ref _failed);

    public long Dropped => Interlocked.Read(ref _dropped);

    public long Exports => Interlocked.Read(ref _exports);

    public long FailedExports => Interlocked.Read(ref _failedExports);

    /// <summary>Queues a span; a full queue drops it (counted) rather than slowing the schedule.</summary>
    public void Enqueue(Span span)
    {
        if (!_queue.Writer.TryWrite(span))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    /// <summary>Sends what is queued and stops.</summary>
    public async Task CompleteAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await CompleteAsync().ConfigureAwait(false);
        _channel?.Dispose();
        _http?.Dispose();
        _handler.Dispose();
    }

    private static KeyValue Attribute(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };

    private async Task LoopAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<Span>(_options.BatchSize);
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            using var timeout = new CancellationTokenSource(_options.BatchTimeout, _options.TimeProvider);
            try
            {
                while (batch.Count < _options.BatchSize)
                {
                    if (reader.TryRead(out var span))
                    {
                        batch.Add(span);
                    }
                    else if (!await reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false))
                    {
                        break;
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // batch timeout: send what we have
            }

            if (batch.Count > 0)
            {
                await ExportAsync(batch).ConfigureAwait(false);
                batch = new List<Span>(_options.BatchSize);
            }
        }
    }

    private async Task ExportAsync(List<Span> spans)
    {
        var request = new ExportTraceServiceRequest();
        var scope = new ScopeSpans { Scope = new InstrumentationScope { Name = "otel-lab/trace-load" } };
        scope.Spans.AddRange(spans);
        request.ResourceSpans.Add(new ResourceSpans { Resource = _resource, ScopeSpans = { scope } });
        Interlocked.Increment(ref _exports);
        var started = Stopwatch.GetTimestamp();
        string? failure;
        long rejected = 0;
        try
        {
            if (_grpc is not null)
            {
                rejected = Math.Min(spans.Count, await SendGrpcAsync(request).ConfigureAwait(false));
                failure = null;
            }
            else
            {
                failure = await SendHttpAsync(request).ConfigureAwait(false);
            }
        }
        catch (RpcException e)
        {
            failure = e.InnerException is HttpRequestException { InnerException: SocketException se } ? $"connect {se.SocketErrorCode}" : $"grpc {e.StatusCode}";
        }
        catch (HttpRequestException e)
        {
            failure = e.InnerException is SocketException se ? $"connect {se.SocketErrorCode}" : $"http {e.HttpRequestError}";
        }
        catch (OperationCanceledException)
        {
            failure = "timeout";
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            failure = e.GetType().Name;
        }

        _latency.Record(Stopwatch.GetElapsedTime(started));
        if (failure is null)
        {
            Interlocked.Add(ref _sent, spans.Count - rejected);
            if (rejected > 0)
            {
                // upstream OTLP: partial_success.rejected_spans were not accepted — counted, never silent.
                Interlocked.Add(ref _failed, rejected);
                _failures.AddOrUpdate("partial_success", 1, (_, n) => n + 1);
            }
        }
        else
        {
            Interlocked.Add(ref _failed, spans.Count);
            Interlocked.Increment(ref _failedExports);
            _failures.AddOrUpdate(failure, 1, (_, n) => n + 1);
        }
    }

    private async Task<long> SendGrpcAsync(ExportTraceServiceRequest request)
    {
        var response = await _grpc!.ExportAsync(request, deadline: DateTime.UtcNow + _options.ExportTimeout).ConfigureAwait(false);
        return response.PartialSuccess?.RejectedSpans ?? 0;
    }

    private async Task<string?> SendHttpAsync(ExportTraceServiceRequest request)
    {
        using var content = new ByteArrayContent(request.ToByteArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        using var response = await _http!.PostAsync(new Uri(_service.Endpoint, "/v1/traces"), content).ConfigureAwait(false);
        return response.IsSuccessStatusCode ? null : $"http {(int)response.StatusCode}";
    }
}
