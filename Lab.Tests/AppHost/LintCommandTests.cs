using System.Text.Json;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.AppHost;

/// <summary>Drives <c>otel-lab lint</c> in-process, as a user or CI would call it.</summary>
[Trait("Category", "Unit")]
public sealed class LintCommandTests
{
    private static string Manifests(string scenario) => Path.Combine(RepoPaths.Scenario(scenario), "manifests");

    [Fact]
    public async Task Lint_of_the_guide_exits_1_and_names_each_defect_with_file_and_line()
    {
        var (code, output, _) = await LabCliRun.RunAsync("lint", Manifests("payments"));

        Assert.Equal(1, code);
        Assert.Contains("collector-env-from-vault-file", output, StringComparison.Ordinal);
        Assert.Contains("12-otel-gateway.yaml:51:26", output, StringComparison.Ordinal);
        Assert.Contains("fix:", output, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", output, StringComparison.Ordinal); // no colour codes when not a terminal
    }

    [Fact]
    public async Task Lint_of_the_guides_scenario_folder_reports_its_helm_install_failure()
    {
        var (code, output, _) = await LabCliRun.RunAsync("lint", RepoPaths.Scenario("payments"));

        Assert.Equal(1, code);
        Assert.Contains("helm-values-schema", output, StringComparison.Ordinal);
        Assert.Contains("Additional property targetAllocator is not allowed", output, StringComparison.Ordinal);
        Assert.Contains("scenario.yaml:54:11", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lint_of_the_fixed_scenario_folder_exits_0() =>
        Assert.Equal(0, (await LabCliRun.RunAsync("lint", RepoPaths.Scenario("payments-fixed"))).Code);

    [Fact]
    public async Task Lint_of_the_fixed_pipeline_exits_0()
    {
        var (code, output, _) = await LabCliRun.RunAsync("lint", Manifests("payments-fixed"));

        Assert.Equal(0, code);
        Assert.Contains("0 finding(s)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fail_on_never_exits_0_and_fail_on_warning_counts_warnings()
    {
        Assert.Equal(0, (await LabCliRun.RunAsync("lint", Manifests("payments"), "--fail-on", "never")).Code);

        using var dir = new TempDirectory();
        var secret = dir.Write("secret.yaml", "apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: a}\nstringData: {k: v}\n");
        Assert.Equal(0, (await LabCliRun.RunAsync("lint", secret)).Code);
        Assert.Equal(1, (await LabCliRun.RunAsync("lint", secret, "--fail-on", "warning")).Code);
    }

    [Fact]
    public async Task Sarif_output_is_valid_sarif_2_1_0_with_rules_and_located_results()
    {
        var (code, output, _) = await LabCliRun.RunAsync("lint", Manifests("payments"), "--format", "sarif");

        Assert.Equal(1, code);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.Equal("2.1.0", root.GetProperty("version").GetString());
        Assert.Equal("https://json.schemastore.org/sarif-2.1.0.json", root.GetProperty("$schema").GetString());
        var run = Assert.Single(root.GetProperty("runs").EnumerateArray());
        var rules = run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray().ToList();
        Assert.Equal(OtelLab.Lint.Linter.Rules.Count, rules.Count);
        var results = run.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(11, results.Count);
        foreach (var r in results)
        {
            var ruleId = r.GetProperty("ruleId").GetString();
            Assert.Equal(ruleId, rules[r.GetProperty("ruleIndex").GetInt32()].GetProperty("id").GetString());
            Assert.Contains(r.GetProperty("level").GetString(), new[] { "error", "warning", "note" });
            Assert.False(string.IsNullOrEmpty(r.GetProperty("message").GetProperty("text").GetString()));
            var location = Assert.Single(r.GetProperty("locations").EnumerateArray()).GetProperty("physicalLocation");
            Assert.EndsWith(".yaml", location.GetProperty("artifactLocation").GetProperty("uri").GetString(), StringComparison.Ordinal);
            Assert.True(location.GetProperty("region").GetProperty("startLine").GetInt32() >= 1);
        }
    }

    [Fact]
    public async Task Json_output_carries_the_findings_and_a_summary()
    {
        var (_, output, _) = await LabCliRun.RunAsync("lint", Manifests("payments"), "--format", "json");

        using var doc = JsonDocument.Parse(output);
        Assert.Equal(9, doc.RootElement.GetProperty("summary").GetProperty("error").GetInt32());
        Assert.Equal(2, doc.RootElement.GetProperty("summary").GetProperty("warning").GetInt32());
        Assert.All(doc.RootElement.GetProperty("findings").EnumerateArray(), f => Assert.True(f.GetProperty("line").GetInt32() > 0));
    }

    [Fact]
    public async Task Broken_input_exits_2_with_file_line_and_a_fix_and_no_stack_trace()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("bad.yaml", "apiVersion: opentelemetry.io/v1beta1\nkind: OpenTelemetryCollector\nmetadata: {name: p}\nspec:\n  mode: statefullset\n  config: {}\n");

        var (code, _, err) = await LabCliRun.RunAsync("lint", file);

        Assert.Equal(2, code);
        Assert.Contains("bad.yaml:5:9: spec.mode: Unsupported value: \"statefullset\"", err, StringComparison.Ordinal);
        Assert.Contains("fix: did you mean \"statefulset\"?", err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_path_exits_2()
    {
        var (code, _, err) = await LabCliRun.RunAsync("lint", "/nonexistent/manifests");

        Assert.Equal(2, code);
        Assert.Contains("no such file or folder", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_format_is_a_usage_error()
    {
        var (code, _, err) = await LabCliRun.RunAsync("lint", "--format", "xml");

        Assert.Equal(2, code);
        Assert.Contains("xml", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Output_file_receives_the_report()
    {
        using var dir = new TempDirectory();
        var target = Path.Combine(dir.Path, "lint.sarif");

        var (code, output, _) = await LabCliRun.RunAsync("lint", Manifests("payments"), "--format", "sarif", "--output", target);

        Assert.Equal(1, code);
        Assert.Contains("wrote 11 finding(s)", output, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(target, TestContext.Current.CancellationToken));
        Assert.Equal("2.1.0", doc.RootElement.GetProperty("version").GetString());
    }

    [Fact]
    public async Task Lint_without_paths_lints_the_bundled_scenario()
    {
        // (With no verb at all the lab now comes up: `up` is the default verb, see UpCommandTests.)
        var (code, output, _) = await LabCliRun.RunAsync("lint");

        Assert.Equal(1, code);
        Assert.Contains("scenario payments", output, StringComparison.Ordinal);
        Assert.Contains("10 error(s)", output, StringComparison.Ordinal); // the manifests' 9 and the Helm install's refusal
        Assert.Contains("helm-values-schema", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upgrade_to_reports_a_known_breaking_change_of_an_image_bump_and_fails()
    {
        var fixture = Path.Combine(AppContext.BaseDirectory, "testdata", "upgrade", "collector-0.103.yaml");

        var (code, output, _) = await LabCliRun.RunAsync("lint", fixture, "--upgrade-to", "0.113.0");
        var (sameCode, sameOutput, _) = await LabCliRun.RunAsync("lint", fixture, "--upgrade-to", "0.103.0");
        var (badCode, _, badError) = await LabCliRun.RunAsync("lint", fixture, "--upgrade-to", "next");

        Assert.Equal(1, code);
        Assert.Contains("upgrade-logging-exporter-removed", output, StringComparison.Ordinal);
        Assert.Contains("collector-0.103.yaml:28", output, StringComparison.Ordinal);
        Assert.Contains("(#11037)", output, StringComparison.Ordinal);
        Assert.Equal(0, sameCode);
        // (the console output wraps long lines: where depends on the fixture's path)
        Assert.Contains("0 finding(s)", System.Text.RegularExpressions.Regex.Replace(sameOutput, @"\s+", " "), StringComparison.Ordinal);
        Assert.Equal(2, badCode);
        Assert.Contains("--upgrade-to next: 'next' is not a version", badError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upgrade_to_on_the_guides_manifests_reports_the_contrib_changes_with_their_changelog_entries()
    {
        var (code, output, _) = await LabCliRun.RunAsync("lint", Path.Combine(RepoPaths.Scenario("payments"), "manifests"), "--upgrade-to", "0.146.0", "--format", "json");

        Assert.Equal(0, code); // warnings and notes only: the guide sets its receivers' endpoints, so nothing refuses to start
        Assert.Contains("upgrade-k8sattributes-renamed", output, StringComparison.Ordinal);
        Assert.Contains("upgrade-resourcedetection-errors-stop-start", output, StringComparison.Ordinal);
        Assert.Contains("open-telemetry/opentelemetry-collector-contrib CHANGELOG.md v0.146.0", output, StringComparison.Ordinal);
        Assert.Contains("(#44609)", output, StringComparison.Ordinal);
    }
}
