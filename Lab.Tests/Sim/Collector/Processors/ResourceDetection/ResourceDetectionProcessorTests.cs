using OtelLab.Model.Collector;
using OtelLab.Sim.Collector.Pipeline;
using OtelLab.Sim.Collector.Processors.ResourceDetection;
using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Tests.Sim.Collector.Processors.ResourceDetection;

[Trait("Category", "Component")]
public sealed class ResourceDetectionProcessorTests
{
    private static async Task<(ComponentHarness, ResourceDetectionProcessor)> StartAsync(string settings, Dictionary<string, string>? env = null)
    {
        var harness = await ComponentHarness.StartAsync(env: env);
        var processor = (ResourceDetectionProcessor)new ResourceDetectionFactory().Create(harness.Context("resourcedetection", ComponentKind.Processor, settings));
        await processor.StartAsync(TestContext.Current.CancellationToken);
        return (harness, processor);
    }

    private static async Task<IReadOnlyDictionary<string, AttributeValue>> SendAsync(ComponentHarness harness, ResourceDetectionProcessor processor, TelemetryResource resource)
    {
        await processor.ConsumeAsync([new TraceSpan { TraceId = new TraceId(1, 1), SpanId = 1, Resource = resource }], TestContext.Current.CancellationToken);
        return harness.Next.Spans.Last().Resource.Attributes;
    }

    [Fact]
    public async Task Env_detector_reads_the_collectors_own_OTEL_RESOURCE_ATTRIBUTES_and_overrides_by_default()
    {
        // Given the collector container's env, URL-encoded value included
        var (harness, processor) = await StartAsync("detectors: [env]", new() { ["OTEL_RESOURCE_ATTRIBUTES"] = "deployment.environment=prod, team=a%20b" });

        // When a span with its own deployment.environment passes
        var attrs = await SendAsync(harness, processor, new TelemetryResource(new Dictionary<string, AttributeValue> { ["deployment.environment"] = "dev" }));

        // Then the detected values win (override: true) and values are unescaped
        Assert.Equal("prod", attrs["deployment.environment"].Str);
        Assert.Equal("a b", attrs["team"].Str);
    }

    [Fact]
    public async Task Override_false_keeps_what_the_resource_already_has()
    {
        var (harness, processor) = await StartAsync("detectors: [env]\noverride: false", new() { ["OTEL_RESOURCE_ATTRIBUTES"] = "deployment.environment=prod" });

        var attrs = await SendAsync(harness, processor, new TelemetryResource(new Dictionary<string, AttributeValue> { ["deployment.environment"] = "dev" }));

        Assert.Equal("dev", attrs["deployment.environment"].Str);
    }

    [Fact]
    public async Task System_detector_reports_the_pod_hostname_and_earlier_detectors_win()
    {
        // Given env (first) also claiming host.name, then system
        var (harness, processor) = await StartAsync("detectors: [env, system]", new() { ["OTEL_RESOURCE_ATTRIBUTES"] = "host.name=from-env" });

        var attrs = await SendAsync(harness, processor, TelemetryResource.Empty);

        Assert.Equal("from-env", attrs["host.name"].Str);
        Assert.Equal("linux", attrs["os.type"].Str);
        var (harness2, processor2) = await StartAsync("detectors: [system]");
        Assert.Equal("agent", (await SendAsync(harness2, processor2, TelemetryResource.Empty))["host.name"].Str);
    }

    [Fact]
    public async Task Eks_and_ec2_off_aws_detect_nothing_and_log_an_empty_resource()
    {
        var (harness, processor) = await StartAsync("detectors: [eks, ec2]");

        var attrs = await SendAsync(harness, processor, TelemetryResource.ForService("svc"));

        Assert.Equal(["service.name"], attrs.Keys);
        Assert.Empty(processor.Detected);
        Assert.Contains(harness.Container.Log.Lines(), l => l.Contains("\tinfo\t", StringComparison.Ordinal) && l.Contains("detected resource information", StringComparison.Ordinal) && l.EndsWith("\"resource\": {}}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unknown_detectors_are_refused_at_start()
    {
        var harness = await ComponentHarness.StartAsync();

        var error = Assert.Throws<CollectorStartException>(() => new ResourceDetectionFactory().Create(harness.Context("resourcedetection", ComponentKind.Processor, "detectors: [gcp]")));

        Assert.Contains("detector 'gcp' is not emulated", error.Message, StringComparison.Ordinal);
    }
}
