using System.Text.Json.Nodes;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.AppHost;

/// <summary><c>compare</c> (the lab runs on both sides by default): the checks that change and what the change does, measured.</summary>
[Trait("Category", "Lab")]
public sealed class CompareChecksTests
{
    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    [Trait("Speed", "Slow")]
    public async Task The_put_back_defect_shows_dynatrace_rejections_appearing_on_the_head_in_the_markdown_json_and_html_reports()
    {
        LabCliRun.SkipWithoutLoopbackSupport();
        using var dir = new TempDirectory();

        // When: payments-gitops' start commit against the commit that drops cumulativetodelta, each run in the lab
        var (code, output, error) = await LabCliRun.RunAsync("compare", "--scenario", "payments-gitops", "--base", "HEAD~3", "--head", "HEAD~2", "--out", dir.Path);
        TestContext.Current.TestOutputHelper?.WriteLine(output[output.IndexOf("### The lab", StringComparison.Ordinal)..]);

        // Then: exit 1 with the check that turns and the rejections that appear as the reasons
        Assert.True(code == 1, output + error);
        Assert.Matches(@"- dynatrace rejections: 0 of \d+ item\(s\) on the base, [1-9]\d* of \d+ on the head", output);
        Assert.Contains("- check dynatrace-metric-rejections: Pass on the base, Fail on the head", output, StringComparison.Ordinal);
        var checks = output[output.IndexOf("### The lab's checks on each revision", StringComparison.Ordinal)..];
        Assert.Matches(@"\| dynatrace-metric-rejections \| Pass \| Fail \| dynatrace accepted \d+ metric point\(s\) and rejected [1-9]\d* ", checks);
        Assert.Contains("UNSUPPORTED_METRIC_TYPE_MONOTONIC_CUMULATIVE_SUM", checks, StringComparison.Ordinal);
        // No other check turns, but startup-budget: it judges this machine's speed against a wall-clock budget
        // (it turns when other labs on the machine slow a sample service's start past it), not the revision.
        Assert.DoesNotMatch(@"\| (?!dynatrace-metric-rejections|startup-budget)[a-z-]+ \| Pass \| Fail \|", checks);
        Assert.Matches(@"\| dynatrace \| 0 → [1-9][\d,]* \(\+[1-9][\d,]*\) \|", output);
        Assert.Matches(@"\| datadog \| 0 → 0 \|", output);

        // the same collectors and targets on both sides: the TA's assignment does not move
        Assert.Matches(@"0 of [1-9]\d* target\(s\) held on both sides moved \(0 %\)", output);
        Assert.Matches(@"\| otel-gateway \(deployment\) \| [\d,]+ → [\d,]+", output);
        Assert.Matches(@"\| error \| \d+ of \d+ \([\d.]+ %\) \| \d+ of \d+", output);

        Assert.Equal(output, File.ReadAllText(Path.Combine(dir.Path, "compare.md")));
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(dir.Path, "compare.json")))!;
        Assert.Equal("blocks", (string?)json["verdict"]);
        var headDynatrace = json["measured"]!["head"]!["backends"]!.AsArray().Single(b => (string?)b!["backend"] == "dynatrace")!;
        Assert.True((long)headDynatrace["rejectedItems"]! > 0);
        var html = File.ReadAllText(Path.Combine(dir.Path, "compare.html"));
        Assert.Contains("REGRESSION", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    [Trait("Speed", "Slow")]
    public async Task Two_manifest_folders_run_in_the_lab_and_the_one_without_cumulativetodelta_regresses()
    {
        LabCliRun.SkipWithoutLoopbackSupport();
        using var dir = new TempDirectory();
        var fixedDir = Directory.CreateDirectory(Path.Combine(dir.Path, "fixed")).FullName;
        var broken = Directory.CreateDirectory(Path.Combine(dir.Path, "broken")).FullName;
        foreach (var f in new[] { "10-otel-agent.yaml", "11-otel-prometheus.yaml", "12-otel-gateway.yaml" })
        {
            File.Copy(Path.Combine(RepoPaths.Scenario("payments-fixed"), "manifests", f), Path.Combine(fixedDir, f));
            File.Copy(Path.Combine(RepoPaths.Scenario("payments-fixed"), "manifests", f), Path.Combine(broken, f));
        }

        File.Copy(Path.Combine(RepoPaths.Scenario("payments-gitops"), "revisions", "12-otel-gateway-without-cumulativetodelta.yaml"), Path.Combine(broken, "12-otel-gateway.yaml"), overwrite: true);

        // When
        var (code, output, error) = await LabCliRun.RunAsync("compare", "--scenario", "payments-gitops", "--base", fixedDir, "--head", broken, "--format", "json", "--out", Path.Combine(dir.Path, "out"));

        // Then
        Assert.True(code == 1, output + error);
        var json = JsonNode.Parse(output)!;
        Assert.Contains(json["regressions"]!.AsArray(), r => ((string?)r)!.StartsWith("dynatrace rejections: 0 of ", StringComparison.Ordinal));
        Assert.Equal("Fail", (string?)json["checks"]!.AsArray().Single(c => (string?)c!["id"] == "dynatrace-metric-rejections")!["head"]);
        Assert.Equal("Pass", (string?)json["checks"]!.AsArray().Single(c => (string?)c!["id"] == "dynatrace-metric-rejections")!["base"]);
    }
}
