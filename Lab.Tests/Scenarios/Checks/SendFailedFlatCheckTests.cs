using OtelLab.Model.Manifests;
using OtelLab.Scenarios.Checks;
using OtelLab.Scenarios.Definition;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Scenarios.Checks;

/// <summary>The send-failed-flat check's judgement on constructed counters.</summary>
[Trait("Category", "Unit")]
public sealed class SendFailedFlatCheckTests
{
    private readonly SendFailedFlatCheck _check = new();

    internal static CheckContext PaymentsFixed()
    {
        var scenario = ScenarioLoader.Load(RepoPaths.Scenario("payments-fixed"));
        return new CheckContext { Scenario = scenario, Manifests = ManifestLoader.Load([scenario.ManifestsPath], recursive: true), DataWithin = TimeSpan.Zero };
    }

    [Fact]
    public void All_counters_at_zero_pass()
    {
        var result = _check.Judge([new("otel-agent", "otel-agent-collector-a", 0, 0, 0, 0), new("otel-gateway", "otel-gateway-collector-b", 0, 0, 0, 0)], PaymentsFixed());

        Assert.Equal(CheckOutcome.Pass, result.Outcome);
        Assert.Contains("all 2 collector pod(s) at zero", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failed_send_fails_with_a_finding_on_that_collectors_manifest()
    {
        // Given the gateway dropped 12 spans after retries and its queue refused 3 metric points
        var result = _check.Judge([new("otel-agent", "otel-agent-collector-a", 0, 0, 0, 0), new("otel-gateway", "otel-gateway-collector-b", 12, 0, 0, 3)], PaymentsFixed());

        // Then it fails, naming the pod and each counter, at the gateway's manifest
        Assert.Equal(CheckOutcome.Fail, result.Outcome);
        var finding = Assert.Single(result.Findings);
        Assert.Equal("OpenTelemetryCollector observability/otel-gateway", finding.Object);
        Assert.EndsWith("12-otel-gateway.yaml", finding.Location.File, StringComparison.Ordinal);
        Assert.Equal("otel-gateway-collector-b: send_failed_spans 12, send_failed_metric_points 0, enqueue_failed_spans 0, enqueue_failed_metric_points 3", Assert.Single(finding.Evidence));
        Assert.Equal(12, Assert.Single(result.Figures, f => f.Name == "send failed spans").Value);
    }

    [Fact]
    public void No_collector_is_a_skip() =>
        Assert.Equal(CheckOutcome.Skipped, _check.Judge([], PaymentsFixed()).Outcome);
}
