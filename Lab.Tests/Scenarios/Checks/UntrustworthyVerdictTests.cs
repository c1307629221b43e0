using OtelLab.Lint;
using OtelLab.Model;
using OtelLab.Scenarios.Checks;
using OtelLab.Scenarios.Health;
using OtelLab.Scenarios.Reporting;

namespace OtelLab.Tests.Scenarios.Checks;

[Trait("Category", "Unit")]
public sealed class UntrustworthyVerdictTests
{
    private static readonly SimulationHealthSummary Behind = new() { Samples = 40, BehindSamples = 31, BehindBy = TimeSpan.FromSeconds(2.3), FirstBehindAfter = TimeSpan.FromSeconds(4) };
    private static readonly SimulationHealthSummary Healthy = new() { Samples = 40 };

    [Theory]
    [InlineData("sharding", CheckOutcome.Pass)]
    [InlineData("sharding", CheckOutcome.Fail)]
    [InlineData("enrichment", CheckOutcome.Fail)]
    [InlineData("token-per-backend", CheckOutcome.Fail)]
    public void A_timing_check_of_a_run_that_fell_behind_is_neither_passed_nor_failed(string id, CheckOutcome measured)
    {
        var judged = ScenarioRunner.Judged(Result(id, measured), Behind);

        Assert.Equal(CheckOutcome.Untrustworthy, judged.Outcome);
        Assert.StartsWith("not trustworthy: the simulator was behind by 2.3 s (31 of 40 s); measured " + (measured == CheckOutcome.Pass ? "pass" : "fail"), judged.Summary, StringComparison.Ordinal);
        Assert.False(judged.Findings.Single().MeasuredHealthy);
    }

    [Fact]
    public void A_check_that_does_not_time_anything_keeps_its_verdict_and_its_findings_say_when_they_were_measured()
    {
        var judged = ScenarioRunner.Judged(Result("vault-secrets", CheckOutcome.Fail), Behind);

        Assert.Equal(CheckOutcome.Fail, judged.Outcome);
        Assert.False(judged.Findings.Single().MeasuredHealthy);
    }

    [Fact]
    public void A_healthy_run_keeps_every_verdict_and_marks_its_findings_healthy()
    {
        var judged = ScenarioRunner.Judged(Result("sharding", CheckOutcome.Fail), Healthy);

        Assert.Equal(CheckOutcome.Fail, judged.Outcome);
        Assert.True(judged.Findings.Single().MeasuredHealthy);
    }

    [Fact]
    public void Without_health_samples_nothing_is_vouched_for_either_way()
    {
        var judged = ScenarioRunner.Judged(Result("sharding", CheckOutcome.Fail), new SimulationHealthSummary());

        Assert.Equal(CheckOutcome.Fail, judged.Outcome);
        Assert.Null(judged.Findings.Single().MeasuredHealthy);
    }

    [Fact]
    public void The_reports_give_an_untrustworthy_verdict_with_the_simulators_health()
    {
        var run = new ScenarioRunResult
        {
            Scenario = "payments-fixed",
            StartedAt = DateTimeOffset.UnixEpoch,
            Duration = TimeSpan.FromSeconds(60),
            Checks = [Result("pods-ready", CheckOutcome.Pass), ScenarioRunner.Judged(Result("startup-budget", CheckOutcome.Fail), Behind)],
            SimulationHealth = Behind,
        };

        Assert.True(run.Passed);
        Assert.False(run.Trustworthy);
        Assert.Equal("untrustworthy", run.Verdict);
        var json = System.Text.Json.JsonDocument.Parse(ReportJsonWriter.Write(run)).RootElement;
        Assert.Equal("untrustworthy", json.GetProperty("verdict").GetString());
        Assert.Equal("degraded", json.GetProperty("simulationHealth").GetProperty("state").GetString());
        Assert.Equal(2300, json.GetProperty("simulationHealth").GetProperty("behindByMs").GetDouble());
        Assert.Equal(1, json.GetProperty("summary").GetProperty("untrustworthy").GetInt32());
        Assert.Contains("⚠️ not trustworthy", ReportMarkdownWriter.Write(run), StringComparison.Ordinal);
        Assert.Contains("id=\"simulation-health\"", ReportHtmlWriter.Write(run), StringComparison.Ordinal);
    }

    private static CheckResult Result(string id, CheckOutcome outcome) => new()
    {
        Id = id,
        Title = id,
        Outcome = outcome,
        Summary = "what it measured",
        Findings = [new Finding { RuleId = id, Severity = Severity.Error, Object = "x", Location = SourceLocation.None, Message = "m", Why = "w", Fix = "f" }],
    };
}
