using OtelLab.Lint;
using OtelLab.Model;
using OtelLab.Scenarios.Checks;
using OtelLab.Scenarios.Faults;

namespace OtelLab.Tests.Scenarios.Checks;

/// <summary>The fault-loss verdict: a measured loss passes only when a killed buffer or an exporter counter accounts for it.</summary>
[Trait("Category", "Unit")]
public sealed class FaultLossCheckTests
{
    private static FaultLossReport Report(long generated, long dynatrace, long datadog, long undecided, long sendFailed = 0) => new()
    {
        ErrorTracesGenerated = generated,
        ErrorTracesStored = new Dictionary<string, long> { ["dynatrace"] = dynatrace, ["datadog"] = datadog },
        // received = sampled + not sampled + undecided
        Killed = [new FaultLossReport.KilledCollector("otel-gateway-collector-abc", TimeSpan.FromSeconds(8), 40 + undecided, 30, 10, 400, 300)],
        SendFailedSpans = sendFailed,
        EnqueueFailedSpans = 0,
    };

    private static CheckResult Judge(FaultLossReport report) =>
        new FaultLossCheck().Judge(report, settled: true, new SourceLocation("scenario.yaml", 12, 3), ["at 8s kill pod/observability/otel-gateway-collector → deleted"]);

    private static double Figure(CheckResult r, string name) => r.Figures.Single(f => f.Name == name).Value;

    [Fact]
    public void A_loss_within_the_killed_gateways_undecided_traces_passes_and_is_reported_as_a_warning()
    {
        // Given 20 error traces, 17 at Dynatrace and 18 at Datadog, and a killed gateway that held 5 traces undecided
        var result = Judge(Report(20, 17, 18, undecided: 5));

        // Then the worst backend's loss (3) is within the 5 lost with the buffer: a pass with the measured amount as a warning
        Assert.Equal(CheckOutcome.Pass, result.Outcome);
        Assert.Equal(3, Figure(result, "dynatrace error traces lost"));
        Assert.Equal(2, Figure(result, "datadog error traces lost"));
        Assert.Equal(0, Figure(result, "unattributed error traces lost"));
        var warning = Assert.Single(result.Findings);
        Assert.Equal(("fault-loss", Severity.Warning), (warning.RuleId, warning.Severity));
        Assert.Contains(warning.Evidence, e => e.Contains("5 undecided when it stopped", StringComparison.Ordinal));
    }

    [Fact]
    public void A_loss_beyond_what_any_counter_records_fails_as_unattributed()
    {
        // Given 6 error traces missing at Dynatrace, 2 undecided in the killed gateway and no exporter that counted a drop
        var result = Judge(Report(20, 14, 20, undecided: 2));

        // Then 4 are unattributed: the silent loss fails the check with the step's file:line
        Assert.Equal(CheckOutcome.Fail, result.Outcome);
        Assert.Equal(4, Figure(result, "unattributed error traces lost"));
        var finding = Assert.Single(result.Findings);
        Assert.Equal(("fault-loss-unattributed", Severity.Error, 12), (finding.RuleId, finding.Severity, finding.Location.Line));
    }

    [Fact]
    public void Exporter_drops_account_for_a_loss_and_no_loss_reports_nothing()
    {
        Assert.Equal(CheckOutcome.Pass, Judge(Report(20, 14, 20, undecided: 0, sendFailed: 30)).Outcome);
        var clean = Judge(Report(20, 20, 20, undecided: 0));
        Assert.Equal(CheckOutcome.Pass, clean.Outcome);
        Assert.Empty(clean.Findings);
    }
}
