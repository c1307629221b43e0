using System.Text.Json;
using System.Text.RegularExpressions;
using OtelLab.Model.Manifests;
using OtelLab.Scenarios.Checks;
using OtelLab.Scenarios.Definition;
using OtelLab.Scenarios.Reporting;
using OtelLab.Scenarios.Resources;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Scenarios.Reporting;

[Trait("Category", "Unit")]
public sealed partial class ReportWriterTests
{
    private static async Task<ScenarioRunResult> PaymentsStaticRunAsync()
    {
        var scenario = ScenarioLoader.Load(RepoPaths.Scenario("payments"));
        var manifests = ManifestLoader.Load([scenario.ManifestsPath], recursive: true);
        var context = new CheckContext { Scenario = scenario, Manifests = manifests, DataWithin = TimeSpan.Zero };
        var run = await ScenarioRunner.CheckAsync(context, ScenarioChecks.Default, DateTimeOffset.UnixEpoch, TimeProvider.System, TestContext.Current.CancellationToken);
        return run with
        {
            StartupTime = TimeSpan.FromSeconds(4.2),
            Resources = [new ResourceSnapshot("vault", "vault", ResourceState.Running, null, ["cluster"], TimeSpan.FromMilliseconds(800))],
            Backends = [new BackendFigures("dynatrace", 0, 0, 0, 0, 0), new BackendFigures("datadog", 0, 0, 0, 0, 0)],
        };
    }

    [Fact]
    public async Task The_html_report_is_self_contained_with_inline_svg_charts_and_the_findings()
    {
        // Given the guide's scenario judged statically
        var run = await PaymentsStaticRunAsync();

        // When it is written as HTML
        var html = ReportHtmlWriter.Write(run);

        // Then nothing is loaded from anywhere (no script, stylesheet link, src/href URL, CSS url or import) and the charts are inline SVG
        Assert.DoesNotMatch(ExternalReference(), html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.True(Regex.Count(html, "<svg ") >= 4, "four inline SVG charts");
        Assert.Contains("FAIL", html, StringComparison.Ordinal);
        Assert.Contains("serviceaccount-missing", html, StringComparison.Ordinal);
        Assert.Contains("scenarios/payments/manifests/12-otel-gateway.yaml:12", html.Replace(RepoPaths.Root + "/", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("4.20 s", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_json_and_markdown_reports_carry_the_verdict_checks_and_findings()
    {
        var run = await PaymentsStaticRunAsync();

        var json = JsonDocument.Parse(ReportJsonWriter.Write(run)).RootElement;
        var md = ReportMarkdownWriter.Write(run);

        Assert.Equal("fail", json.GetProperty("verdict").GetString());
        var lint = json.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("id").GetString() == "lint");
        Assert.Equal("fail", lint.GetProperty("outcome").GetString());
        var rules = lint.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("ruleId").GetString()).ToList();
        Assert.Contains("tail-sampling-split-traces", rules);
        Assert.Contains("targetallocator-rbac", rules);
        Assert.All(json.GetProperty("checks").EnumerateArray().Where(c => c.GetProperty("id").GetString() != "lint"),
            c => Assert.Equal("skipped", c.GetProperty("outcome").GetString()));
        // each check's wall time: lint ran, the lab's checks were never started
        Assert.True(lint.GetProperty("durationSeconds").GetDouble() > 0);
        Assert.All(json.GetProperty("checks").EnumerateArray().Where(c => c.GetProperty("id").GetString() != "lint"),
            c => Assert.Equal(0, c.GetProperty("durationSeconds").GetDouble()));
        Assert.Equal(4.2, json.GetProperty("startupSeconds").GetDouble());
        Assert.StartsWith("# OTel Lab: scenario `payments` — FAIL", md, StringComparison.Ordinal);
        Assert.Contains("| Static findings (lint) (`lint`) | ❌ fail |", md, StringComparison.Ordinal);
        Assert.Contains("`tail-sampling-split-traces`", md, StringComparison.Ordinal);
    }

    [Fact]
    public void A_skipped_only_run_is_not_a_failure_and_the_html_says_pass()
    {
        var run = new ScenarioRunResult
        {
            Scenario = "empty",
            StartedAt = DateTimeOffset.UnixEpoch,
            Duration = TimeSpan.FromSeconds(1),
            Checks = [new CheckResult { Id = "x", Title = "X", Outcome = CheckOutcome.Skipped, Summary = "static run" }],
        };

        Assert.True(run.Passed);
        Assert.Contains("verdict pass", ReportHtmlWriter.Write(run), StringComparison.Ordinal);
    }

    [GeneratedRegex("""(src|href)\s*=\s*["']?\s*(https?:)?//|url\(|@import""", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalReference();
}
