using System.Net;
using OtelLab.Load.Traces.Pods;
using OtelLab.Sim.Collector.Runtime;
using OtelLab.Tests.Sim.Collector.Runtime;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Load.Traces;

/// <summary>
/// The hand-instrumented sender image (<c>lab/trace-sender:1</c>) against a simulated agent collector: OTLP to the
/// endpoint in its env, from its pod address, with service.name as its whole resource (no k8s.* attributes).
/// </summary>
[Trait("Category", "Component")]
public sealed class TraceSenderContainerRuntimeTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData("http/protobuf", 4318, 71, 72)]
    [InlineData("grpc", 4317, 73, 74)]
    public async Task The_sender_exports_single_service_traces_from_its_pod_address_with_only_service_name(string protocol, int port, int agentHost, int podHost)
    {
        // Given an agent collector capturing what its OTLP receiver accepts, and a sender pod configured by env
        var ct = TestContext.Current.CancellationToken;
        var capture = new CaptureExporterFactory();
        var agent = CollectorTestKit.Address(agentHost);
        var pod = CollectorTestKit.Address(podHost);
        await using var collector = await CollectorInstance.StartAsync(OtlpReceiverTests.Config(), CollectorInstance.CreateContext(agent),
            new CollectorInstanceOptions { Catalog = CollectorTestKit.CatalogWith(capture) }, ct);
        var context = CollectorInstance.CreateContext(pod, image: TraceSenderContainerRuntime.Image, podName: "fraud-score-5d9c7-abcde", podNamespace: "payments", env:
        [
            new("OTEL_EXPORTER_OTLP_ENDPOINT", $"http://{agent}:{port}"),
            new("OTEL_EXPORTER_OTLP_PROTOCOL", protocol),
            new("OTEL_SERVICE_NAME", "fraud-score"),
            new("LAB_TRACES_PER_SECOND", "20"),
        ]);
        var runtime = new TraceSenderContainerRuntime();
        Assert.True(runtime.CanRun(TraceSenderContainerRuntime.Image));

        // When the container runs until the agent holds spans of several traces, and stops
        await using (var process = await runtime.StartAsync(context, ct))
        {
            Assert.True(await Eventually.WaitAsync(() => Task.FromResult(capture.Spans.Select(s => s.TraceId).Distinct().Count() >= 3), Wait, ct),
                string.Join("\n", context.Log.Lines()));
            await process.StopAsync(ct);
            Assert.Equal(143, await process.Exited);
        }

        // Then every span is fraud-score's, with service.name as its whole resource, in traces of 3 chained spans
        var spans = capture.Spans.ToList();
        Assert.All(spans, s => Assert.Equal(["service.name"], s.Resource.Attributes.Keys));
        Assert.All(spans, s => Assert.Equal("fraud-score", s.ServiceName));
        var complete = spans.GroupBy(s => s.TraceId).Where(t => t.Count() == 3).ToList();
        Assert.NotEmpty(complete);
        Assert.All(complete, t => Assert.Equal("POST /fraud-score", Assert.Single(t, s => s.ParentSpanId == 0).Name));

        // And the connections came from the pod's address (what k8sattributes' connection association reads)
        Assert.All(capture.Clients, c => Assert.Equal(pod, c!.Address));
        Assert.True(context.Readiness.IsReady);
        Assert.Contains(context.Log.Lines(), l => l.StartsWith("stopped: ", StringComparison.Ordinal) && l.Contains(" 0 failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_an_otlp_endpoint_the_app_crashes_at_start_saying_how_to_set_it()
    {
        // Given a sender pod whose env names no endpoint
        var context = CollectorInstance.CreateContext(IPAddress.Parse("127.0.9.75"), image: TraceSenderContainerRuntime.Image, podName: "fraud-score-1", podNamespace: "payments",
            env: [new("OTEL_SERVICE_NAME", "fraud-score")]);

        // When it starts
        await using var process = await new TraceSenderContainerRuntime().StartAsync(context, TestContext.Current.CancellationToken);

        // Then it exits 2, never ready, its log naming the variable and an example value
        Assert.Equal(2, await process.Exited.WaitAsync(Wait, TestContext.Current.CancellationToken));
        Assert.False(context.Readiness.IsReady);
        var panic = Assert.Single(context.Log.Lines(), l => l.StartsWith("panic: ", StringComparison.Ordinal));
        Assert.Contains("OTEL_EXPORTER_OTLP_ENDPOINT", panic, StringComparison.Ordinal);
        Assert.Contains("status.hostIP", panic, StringComparison.Ordinal);
    }
}
