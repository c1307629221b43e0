using OtelLab.Scenarios.Checks;
using OtelLab.Scenarios.Comparing;

namespace OtelLab.Tests.Scenarios.Comparing;

/// <summary>The comparison of two runs: what moved, what rose beyond chance, and the three renderings.</summary>
[Trait("Category", "Unit")]
public sealed class CompareReportTests
{
    [Theory]
    [InlineData(0, 5000, 1, 5000, true)] // none on the base: any on the head is a rise
    [InlineData(0, 5000, 0, 5000, false)]
    [InlineData(5, 5000, 0, 5000, false)]
    // base rate 1 %, head n 10,000: 3σ = 3·sqrt(0.01·0.99/10000) = 0.30 %, so 1.29 % is within and 1.31 % beyond
    [InlineData(100, 10000, 129, 10000, false)]
    [InlineData(100, 10000, 131, 10000, true)]
    public void A_failure_count_rises_when_the_head_rate_exceeds_the_base_rate_by_more_than_3_sigma(long k0, long n0, long k1, long n1, bool rose) =>
        Assert.Equal(rose, CompareReport.RateRose(k0, n0, k1, n1));

    [Fact]
    public void Targets_assigned_to_another_replica_on_the_head_are_moved_and_unassigned_or_one_sided_targets_are_not()
    {
        // Given
        var report = Report(
            Run(new() { ["job a"] = "c-0", ["job b"] = "c-1", ["job c"] = "c-0", ["job d"] = "", ["job e"] = "c-1" }),
            Run(new() { ["job a"] = "c-0", ["job b"] = "c-2", ["job c"] = "c-2", ["job d"] = "c-1", ["job f"] = "c-0" }));

        // When
        var moved = report.Moved;

        // Then
        Assert.Equal([new TargetMove("job b", "c-1", "c-2"), new TargetMove("job c", "c-0", "c-2")], moved);
        Assert.Equal(4, report.TargetsOnBoth);
        Assert.Contains("2 of 4 target(s) held on both sides moved (50 %)", CompareMarkdown.Write(report), StringComparison.Ordinal);
    }

    [Fact]
    public void Rejections_appearing_at_a_backend_on_the_head_are_a_regression_shown_in_every_rendering()
    {
        // Given: the same load; Dynatrace rejects 9 points on the head only
        var report = Report(
            Run([], new BackendFigures("dynatrace", 400, 4878, 0, 0, 0)),
            Run([], new BackendFigures("dynatrace", 358, 5124, 0, 9, 0)));

        // When
        var markdown = CompareMarkdown.Write(report);
        var html = CompareHtml.Write(report);
        var json = System.Text.Json.Nodes.JsonNode.Parse(CompareJson.Write(report))!;

        // Then
        Assert.True(report.Regressed);
        Assert.Equal("dynatrace rejections: 0 of 5278 item(s) on the base, 9 of 5491 on the head", Assert.Single(report.Regressions));
        Assert.Contains("| dynatrace | 0 → 9 (+9) | 0 → 0 |", markdown, StringComparison.Ordinal);
        Assert.Contains("**Blocks: 1 regression(s)**", markdown, StringComparison.Ordinal);
        Assert.Equal("blocks", (string?)json["verdict"]);
        Assert.Equal(9, (long?)json["measured"]!["head"]!["backends"]![0]!["rejectedItems"]);
        Assert.Contains("REGRESSION", html, StringComparison.Ordinal);
        Assert.Contains("0 → 9 (+9)", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch("(src|href)=\"https?:", html);
    }

    [Fact]
    public void The_same_figures_on_both_sides_are_no_regression()
    {
        var same = Run(new() { ["job a"] = "c-0" }, new BackendFigures("datadog", 10, 20, 0, 0, 0));

        var report = Report(same, same);

        Assert.False(report.Regressed);
        Assert.StartsWith("## otel-lab compare: s\n\n**No regression**", CompareMarkdown.Write(report).ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    /// <summary>Two measured runs compared with no lint finding on either side.</summary>
    internal static CompareReport Report(RunMeasurement b, RunMeasurement h) => new()
    {
        Scenario = "s",
        Base = "base",
        Head = "head",
        Lint = FindingsDiff.Of([], []),
        Checks = ([], []),
        BaseRun = b,
        HeadRun = h,
    };

    private static RunMeasurement Run(Dictionary<string, string> assignments, params BackendFigures[] backends) => new()
    {
        Assignments = assignments,
        KeepRates = [new ClassKeepRate("error", 10, 10)],
        Tiers = [new TierFlow("otel-gateway (deployment)", 2, 100, 200, 50, 200)],
        Backends = backends,
        SendFailures = [],
    };
}
