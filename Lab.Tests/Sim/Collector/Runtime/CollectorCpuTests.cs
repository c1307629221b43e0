using System.Net.Http.Headers;
using OtelLab.Load.Simulations;
using OtelLab.Model.Diagnostics;
using OtelLab.Sim.Collector.Runtime;

namespace OtelLab.Tests.Sim.Collector.Runtime;

/// <summary>A collector pod's CPU: the thread CPU time of the requests its receiver serves, growing with the load.</summary>
[Trait("Category", "Component")]
public sealed class CollectorCpuTests
{
    [Fact]
    public async Task Three_times_the_spans_cost_the_gateway_more_cpu_and_the_senders_work_is_not_charged_to_it()
    {
        // Given a gateway-like collector (OTLP/HTTP in, debug out: every span is handled within its request)
        ComponentCpu.Metering = true;
        const string yaml = """
            receivers: {otlp: {protocols: {http: {endpoint: 0.0.0.0:4318}}}}
            exporters: {debug: {}}
            service: {pipelines: {traces: {receivers: [otlp], exporters: [debug]}}}
            """;
        var address = CollectorTestKit.Address(61);
        await using var gateway = await CollectorInstance.StartAsync(yaml, CollectorInstance.CreateContext(address, podName: "gateway-0"), TestContext.Current.CancellationToken);
        using var http = new HttpClient { BaseAddress = new Uri($"http://{address}:4318") };
        var body = OtlpSpanBatch.Create(200, TimeProvider.System, new Random(7));
        await SendAsync(http, body, 60); // warm-up: JIT tiers, connection set-up

        // When it receives windows of 20 and of 60 requests of the same 200 spans, in ABBA order four times over: code
        // still tiering up, a GC, or a neighbour's load drifts the cost per request during the measurement, and the
        // alternation charges that drift to both sizes alike instead of to whichever ran first
        var small = TimeSpan.Zero;
        var large = TimeSpan.Zero;
        for (var round = 0; round < 4; round++)
        {
            foreach (var requests in round % 2 == 0 ? new[] { 20, 60 } : [60, 20])
            {
                var before = gateway.Cpu.Used;
                await SendAsync(http, body, requests);
                var used = gateway.Cpu.Used - before;
                if (requests == 20)
                {
                    small += used;
                }
                else
                {
                    large += used;
                }
            }
        }

        // Then the larger windows cost more CPU: 3× the work; per-request CPU varies with GC and cache state, so the
        // ratio is judged within a wide band that still excludes "no growth" (1×)
        Assert.True(small > TimeSpan.Zero, "no CPU charged to the gateway");
        Assert.InRange(large / small, 1.6, 6);
        Assert.Equal("gateway-0", gateway.Cpu.Name);
    }

    private static async Task SendAsync(HttpClient http, byte[] body, int requests)
    {
        for (var i = 0; i < requests; i++)
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
            using var response = await http.PostAsync("/v1/traces", content, TestContext.Current.CancellationToken);
            response.EnsureSuccessStatusCode();
        }
    }
}
