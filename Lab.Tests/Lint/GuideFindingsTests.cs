using OtelLab.Lint;
using OtelLab.Model.Manifests;
using OtelLab.Scenarios.Definition;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Lint;

/// <summary>The lint's verdict on the guide as written, and on the fixed pipeline.</summary>
[Trait("Category", "Unit")]
public sealed class GuideFindingsTests
{
    private static IReadOnlyList<Finding> LintScenario(string name)
    {
        var set = ManifestLoader.Load([Path.Combine(RepoPaths.Scenario(name), "manifests")]);
        Assert.Empty(set.Errors);
        return Linter.Run(set);
    }

    [Fact]
    public void The_guide_as_written_has_these_defects_at_these_lines()
    {
        var findings = LintScenario("payments");

        var actual = findings.Select(f => $"{f.RuleId} {Path.GetFileName(f.Location.File)}:{f.Location.Line}").Order(StringComparer.Ordinal).ToList();
        string[] expected =
        [
            "collector-env-from-vault-file 12-otel-gateway.yaml:51",
            "collector-env-from-vault-file 12-otel-gateway.yaml:54",
            "collector-env-undefined 12-otel-gateway.yaml:49",
            "datadog-stats-after-sampling 12-otel-gateway.yaml:58",
            "dynatrace-cumulative-metrics 12-otel-gateway.yaml:48",
            "instrumentation-endpoint-no-hostport 20-instrumentation.yaml:10",
            "instrumentation-endpoint-undefined-variable 20-instrumentation.yaml:10",
            "serviceaccount-missing 12-otel-gateway.yaml:12",
            "tail-sampling-split-traces 12-otel-gateway.yaml:10",
            "targetallocator-rbac 02-targetallocator-rbac.yaml:20",
            "targetallocator-static-self-scrape 11-otel-prometheus.yaml:27",
        ];
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void With_its_declared_install_the_guide_also_fails_at_helm_install()
    {
        var scenario = ScenarioLoader.Load(RepoPaths.Scenario("payments"));
        var findings = Linter.Run(ManifestLoader.Load(scenario.ManifestPaths, recursive: true), install: scenario.Install);

        Assert.Contains(findings, f => f.RuleId == "helm-values-schema" && f.Severity == Severity.Error);
        Assert.DoesNotContain(findings, f => f.RuleId == "crd-not-installed");
    }

    [Fact]
    public void The_fixed_pipeline_with_its_install_has_no_warnings_or_errors()
    {
        var scenario = ScenarioLoader.Load(RepoPaths.Scenario("payments-fixed"));
        var findings = Linter.Run(ManifestLoader.Load(scenario.ManifestPaths, recursive: true), install: scenario.Install);

        // every release's values are checked: cert-manager's against its values.yaml (it ships no schema), the
        // operator's and Vault's against their values.schema.json and values.yaml
        Assert.Empty(findings);
    }

    [Fact]
    public void The_fixed_pipeline_has_no_findings() =>
        Assert.Empty(LintScenario("payments-fixed"));
}
