using System.Net;
using Grpc.Core;
using Grpc.Net.Client;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OtelLab.Load.Internal;

namespace OtelLab.Load.Simulations;

/// <summary>
/// A step that sends one OTLP/gRPC trace export (<c>TraceService/Export</c>) over one kept-alive HTTP/2 connection
/// from a loopback source address: OK for an OK status with no rejected spans, otherwise a fail named by the gRPC
/// status (<c>Unavailable</c>, <c>ResourceExhausted</c>, …) or <c>partial_success</c>; data transfer is the request
/// plus the response bytes.
/// </summary>
public sealed class OtlpGrpcStep : IDisposable
{
    private readonly SocketsHttpHandler _handler;
    private readonly GrpcChannel _channel;
    private readonly TraceService.TraceServiceClient _client;
    private readonly Func<byte[]> _payload;
    private readonly TimeSpan _timeout;

    public OtlpGrpcStep(Uri endpoint, IPAddress? source, Func<byte[]> payload, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(payload);
        if (source is not null && !IPAddress.IsLoopback(source))
        {
            throw new ArgumentException($"source address {source} is not loopback (the lab only uses 127.0.0.0/8)", nameof(source));
        }

        _handler = SourceAddressHandler.Create(source);
        _channel = GrpcChannel.ForAddress(endpoint, new GrpcChannelOptions { HttpHandler = _handler, DisposeHttpClient = false });
        _client = new TraceService.TraceServiceClient(_channel);
        _payload = payload;
        _timeout = timeout;
    }

    public async Task<StepResponse> InvokeAsync(CancellationToken cancellationToken)
    {
        var request = ExportTraceServiceRequest.Parser.ParseFrom(_payload());
        var size = (long)request.CalculateSize();
        try
        {
            var response = await _client.ExportAsync(request, deadline: DateTime.UtcNow + _timeout, cancellationToken: cancellationToken).ConfigureAwait(false);
            size += response.CalculateSize();
            return response.PartialSuccess is { RejectedSpans: > 0 } ? StepResponse.Fail("partial_success", size) : StepResponse.Ok(nameof(StatusCode.OK), size);
        }
        catch (RpcException e)
        {
            return StepResponse.Fail(e.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested ? "cancelled" : e.StatusCode.ToString(), size);
        }
    }

    public void Dispose()
    {
        _channel.Dispose();
        _handler.Dispose();
    }
}
