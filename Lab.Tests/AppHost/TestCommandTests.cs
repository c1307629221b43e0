using System.Text.Json;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.AppHost;

/// <summary>Drives <c>otel-lab test</c> in-process: one run on the simulated cluster, judged, reported.</summary>
[Trait("Category", "Lab")]
public sealed class TestCommandTests
{
    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    [Trait("Speed", "Slow")]
    public async Task The_guides_scenario_fails_with_its_defects_in_the_json_markdown_and_html_reports()
    {
        LabCliRun.SkipWithoutLoopbackSupport();

        // Given an output folder
        using var dir = new TempDirectory();

        // When the payments scenario is tested (checks wait 1 s for backend data), with its variants
        var (code, output, error) = await LabCliRun.RunAsync("test", "--scenario", "payments", "--duration", "1s", "--out", dir.Path);

        // Then it exits 1 and the reports name the guide's static defects and the gateway that runs no pods
        Assert.True(code == 1, output + error);
        // (the scenario and its three variants ran side by side, one lab per core, sharing one measured scrape budget)
        if (Environment.ProcessorCount > 1)
        {
            Assert.Contains($"shared by {Math.Min(4, Environment.ProcessorCount)} labs side by side", output, StringComparison.Ordinal);
        }

        Assert.Contains("FAIL    workloads-have-pods", output, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(dir.Path, "report.json"), TestContext.Current.CancellationToken));
        var checks = json.RootElement.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("id").GetString()!);
        Assert.Equal("fail", json.RootElement.GetProperty("verdict").GetString());
        var lintRules = checks["lint"].GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("ruleId").GetString()).ToHashSet();
        Assert.Superset(new HashSet<string?> { "serviceaccount-missing", "tail-sampling-split-traces", "targetallocator-rbac", "collector-env-from-vault-file" }, lintRules);
        var gateway = Assert.Single(checks["workloads-have-pods"].GetProperty("findings").EnumerateArray());
        Assert.EndsWith("12-otel-gateway.yaml", gateway.GetProperty("file").GetString(), StringComparison.Ordinal);
        Assert.Contains(gateway.GetProperty("evidence").EnumerateArray(), e => e.GetString()!.Contains("FailedCreate", StringComparison.Ordinal) &&
            e.GetString()!.Contains("serviceaccount \"otel-gateway-collector\" not found", StringComparison.Ordinal));
        Assert.Equal("pass", checks["pods-ready"].GetProperty("outcome").GetString());

        // And the backend checks fail honestly: nothing was received (the guide's gateway runs no pods). The scenario and
        // its variants run side by side, so on a loaded machine the simulator may fall behind: the check then reads
        // "not trustworthy" and keeps its measured fail in its summary.
        var parity = checks["backend-parity"];
        var parityOutcome = parity.GetProperty("outcome").GetString();
        var paritySummary = parity.GetProperty("summary").GetString()!;
        Assert.True(
            (parityOutcome == "fail" && paritySummary.StartsWith("no data received", StringComparison.Ordinal))
            || (parityOutcome == "untrustworthy" && paritySummary.Contains("; measured fail: no data received", StringComparison.Ordinal)),
            $"{parityOutcome}: {paritySummary}");

        // And the variants it names (the fixed pipeline with one guide defect back) are run and reported with it
        var variantChecks = new[]
        {
            "payments-guide-secrets/vendor-credentials", "payments-guide-sampling/dynatrace-metric-rejections",
            "payments-guide-sampling/gateway-trace-split", "payments-norbac/k8s-deployment-name",
        };
        Assert.Superset(variantChecks.ToHashSet(), checks.Keys.ToHashSet());

        var md = await File.ReadAllTextAsync(Path.Combine(dir.Path, "report.md"), TestContext.Current.CancellationToken);
        var html = await File.ReadAllTextAsync(Path.Combine(dir.Path, "report.html"), TestContext.Current.CancellationToken);
        string[] expected = ["serviceaccount-missing", "workload-without-pods", "no-data-received", .. variantChecks];
        foreach (var rule in expected)
        {
            Assert.Contains(rule, md, StringComparison.Ordinal);
            Assert.Contains(rule, html, StringComparison.Ordinal);
        }
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_static_run_needs_no_cluster_and_fails_on_the_guides_lint_errors()
    {
        using var dir = new TempDirectory();

        var (code, output, _) = await LabCliRun.RunAsync("test", "--scenario", "payments", "--static", "--out", dir.Path);

        Assert.Equal(1, code);
        Assert.Contains("SKIPPED pods-ready", output, StringComparison.Ordinal);
        Assert.Contains("FAIL    lint", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(dir.Path, "report.html")));
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task The_fixed_pipeline_passes_its_static_checks()
    {
        using var dir = new TempDirectory();

        var (code, output, _) = await LabCliRun.RunAsync("test", "--scenario", "payments-fixed", "--static", "--out", dir.Path);

        Assert.True(code == 0, output);
        Assert.Contains("PASS    lint", output, StringComparison.Ordinal);
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_negative_target_count_exits_2_with_what_is_wrong_and_an_example()
    {
        var (code, _, error) = await LabCliRun.RunAsync("test", "--scenario", "payments-fixed", "--targets", "-5");

        Assert.Equal(2, code);
        Assert.Contains("--targets -5: must be 0 or more", error, StringComparison.Ordinal);
        Assert.Contains("--targets 9000", error, StringComparison.Ordinal);
    }

    [Theory(Timeout = LabTestTimeout.Milliseconds)]
    [InlineData("0")]
    [InlineData("-2")]
    [InlineData("5000")]
    public async Task A_time_scale_outside_what_the_lab_runs_exits_2_with_the_range_and_an_example(string scale)
    {
        var (code, _, error) = await LabCliRun.RunAsync("test", "--scenario", "payments-fixed", "--time-scale", scale);

        Assert.Equal(2, code);
        Assert.Contains($"--time-scale {scale}: must be above 0 and at most 1000", error, StringComparison.Ordinal);
        Assert.Contains("--time-scale 10", error, StringComparison.Ordinal);
    }
}
