using System.Net;
using System.Net.Http.Headers;
using OtelLab.Load.Simulations;
using OtelLab.Load.Traces;
using OtelLab.Sim.Networking;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Load.Simulations;

/// <summary>The otlp load target's two senders against a real OTLP receiver (gRPC and HTTP/protobuf) on loopback.</summary>
[Collection(nameof(SimulatedNetworkCollection))]
[Trait("Category", "Component")]
public sealed class OtlpStepsTests
{
    [Fact]
    public async Task Grpc_and_http_exports_deliver_every_span_from_the_source_address_and_a_dead_endpoint_fails_as_unavailable()
    {
        if (!LoopbackSupport.Probe().Supported)
        {
            Assert.Skip(LoopbackSupport.Probe().Problem!);
        }

        // Given an OTLP sink listening like an agent (gRPC 4317, HTTP 4318)
        var ct = TestContext.Current.CancellationToken;
        var address = TestAddressSlot.Pod(0, 202, 1);
        var source = TestAddressSlot.Pod(0, 202, 2);
        await using var sink = await OtlpTraceSink.StartAsync(new IPEndPoint(address, 4317), new IPEndPoint(address, 4318), ct);
        var random = new Random(5);
        using var grpc = new OtlpGrpcStep(new Uri($"http://{address}:4317"), source, () => OtlpSpanBatch.Create(20, TimeProvider.System, random), TimeSpan.FromSeconds(10));
        using var http = new HttpStep(new Uri($"http://{address}:4318/v1/traces"), source, () =>
        {
            var content = new ByteArrayContent(OtlpSpanBatch.Create(20, TimeProvider.System, random));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
            return content;
        }, requestBytes: 0, TimeSpan.FromSeconds(10));
        using var dead = new OtlpGrpcStep(new Uri($"http://{address}:4319"), source, () => OtlpSpanBatch.Create(1, TimeProvider.System, random), TimeSpan.FromSeconds(5));

        // When three exports go over each protocol and one to a port nobody listens on
        var responses = new List<StepResponse>();
        for (var i = 0; i < 3; i++)
        {
            responses.Add(await grpc.InvokeAsync(ct));
            responses.Add(await http.InvokeAsync(ct));
        }

        var refused = await dead.InvokeAsync(ct);

        // Then all 120 spans arrived from the sender's address, each export OK, and the dead endpoint is a failed step
        Assert.All(responses, r => Assert.True(r.IsOk, r.StatusCode));
        Assert.Equal(["OK", "200"], responses.Select(r => r.StatusCode).Distinct());
        Assert.True(responses[0].SizeBytes > 20 * 30, $"{responses[0].SizeBytes} bytes for 20 spans");
        Assert.Equal(120, sink.SpansReceived);
        Assert.Equal(source, Assert.Single(sink.SpansBySource.Keys).MapToIPv4());
        Assert.Equal((false, "Unavailable"), (refused.IsOk, refused.StatusCode));
    }
}
