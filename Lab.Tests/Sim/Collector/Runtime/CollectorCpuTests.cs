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
        await SendAsync(http, body, 20); // warm-up: JIT tiers, connection set-up

        // When it receives 40 requests, then 120 requests of the same 200 spans
        var start = gateway.Cpu.Used;
        await SendAsync(http, body, 40);
        var small = gateway.Cpu.Used - start;
        await SendAsync(http, body, 120);
        var large = gateway.Cpu.Used - start - small;

        // Then the larger window costs more CPU: 3× the work; per-request CPU varies with GC and cache state, so the
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
