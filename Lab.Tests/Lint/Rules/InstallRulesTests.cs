using OtelLab.Lint;
using OtelLab.Lint.Rules;
using OtelLab.Model.Install;
using OtelLab.Model.Manifests;
using OtelLab.Scenarios.Definition;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Lint.Rules;

/// <summary>The install layer's findings: what Helm refuses, what it silently ignores, CRDs and ClusterRoles per chart version.</summary>
[Trait("Category", "Unit")]
public sealed class InstallRulesTests
{
    private static InstallSpec Operator(params string[] sets) => new()
    {
        Releases =
        [
            new HelmRelease
            {
                Name = "opentelemetry-operator", Chart = "open-telemetry/opentelemetry-operator", Version = "0.74.2",
                Set = sets.Select((s, i) => new HelmSetValue(s, new("scenario.yaml", 10 + i, 7))).ToList(),
                Location = new("scenario.yaml", 9, 7),
            },
        ],
    };

    private static IReadOnlyList<Finding> Run(LintRule rule, InstallSpec install, string manifests = "")
    {
        var set = ManifestLoader.LoadText("fixture.yaml", manifests);
        Assert.Empty(set.Errors);
        return Linter.Run(set, [rule], install);
    }

    [Fact]
    public void The_guides_operator_install_is_refused_with_helms_message_at_the_set_line()
    {
        var scenario = ScenarioLoader.Load(RepoPaths.Scenario("payments"));
        var findings = Linter.Run(ManifestLoader.Load(scenario.ManifestPaths, recursive: true), [new HelmValuesSchemaRule()], scenario.Install);

        var f = Assert.Single(findings);
        Assert.Equal(Severity.Error, f.Severity);
        Assert.Equal("scenario.yaml:54", $"{Path.GetFileName(f.Location.File)}:{f.Location.Line}");
        Assert.Equal(
            "release opentelemetry-operator (opentelemetry-operator 0.74.2): helm refuses --set targetAllocator.enabled=true " +
            "((root): Additional property targetAllocator is not allowed): the install fails and nothing of the chart is created", f.Message);
        Assert.Contains("Error: values don't meet the specifications of the schema(s) in the following chart(s):\nopentelemetry-operator:\n- (root): Additional property targetAllocator is not allowed", f.Evidence);
        Assert.StartsWith("remove --set targetAllocator.enabled=true", f.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void The_fixed_install_passes_every_install_rule()
    {
        var scenario = ScenarioLoader.Load(RepoPaths.Scenario("payments-fixed"));
        var findings = Linter.Run(ManifestLoader.Load(scenario.ManifestPaths, recursive: true), [new HelmValuesSchemaRule(), new CrdNotInstalledRule(), new TargetAllocatorRbacRule()], scenario.Install);

        Assert.Empty(findings);
    }

    [Fact]
    public void Without_a_schema_helm_ignores_an_unknown_key_and_the_rule_says_so()
    {
        // Given the operator chart's values.yaml without its values.schema.json (charts before they added one)
        var noSchema = new PinnedChart
        {
            Name = "opentelemetry-operator", Version = "0.74.2", AppVersion = "0.113.0", RepoName = "open-telemetry", RepoUrl = "-", Provenance = "test",
            ShipsSchema = false, ValuesResource = ChartCatalog.OpenTelemetryOperator.ValuesResource,
        };

        var findings = Run(new HelmValuesIgnoredRule([noSchema]), Operator("manager.podAnnotations.team=payments", "targetAllocator.enabled=true", "manager.replica=2"));

        Assert.Equal(
        [
            "scenario.yaml:11: release opentelemetry-operator (opentelemetry-operator 0.74.2): --set targetAllocator.enabled=true is not a value of chart opentelemetry-operator 0.74.2: Helm accepts it silently and nothing reads it",
            "scenario.yaml:12: release opentelemetry-operator (opentelemetry-operator 0.74.2): --set manager.replica=2 is not a value of chart opentelemetry-operator 0.74.2: Helm accepts it silently and nothing reads it",
        ], findings.Select(f => $"{f.Location.FileAndLine}: {f.Message}"));
        Assert.All(findings, f => Assert.Equal(Severity.Warning, f.Severity));
    }

    [Fact]
    public void A_chart_version_the_lab_has_not_pinned_is_a_note_naming_the_pinned_one()
    {
        var install = new InstallSpec { Releases = [new HelmRelease { Name = "op", Chart = "x/opentelemetry-operator", Version = "0.80.0" }] };

        var f = Assert.Single(Run(new HelmValuesIgnoredRule(), install));

        Assert.Equal(Severity.Note, f.Severity);
        Assert.Contains("use the pinned version 0.74.2", f.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void A_target_allocator_cr_without_its_crd_is_refused_as_kubectl_refuses_it()
    {
        const string ta = "apiVersion: opentelemetry.io/v1alpha1\nkind: TargetAllocator\nmetadata: {name: ta, namespace: observability}\nspec: {}";

        var f = Assert.Single(Run(new CrdNotInstalledRule(), Operator(), ta));

        Assert.Equal("fixture.yaml:1", f.Location.FileAndLine);
        Assert.Equal("TargetAllocator observability/ta: no matches for kind \"TargetAllocator\" in version \"opentelemetry.io/v1alpha1\": the declared install does not ship this CRD, so kubectl apply refuses it", f.Message);
        Assert.Empty(Run(new CrdNotInstalledRule(), InstallSpec.None, ta)); // no install declared: CRDs unknown, nothing said
    }

    [Fact]
    public void A_collector_version_the_crd_does_not_serve_names_the_served_ones()
    {
        const string bridge = "apiVersion: opentelemetry.io/v1beta1\nkind: OpAMPBridge\nmetadata: {name: b, namespace: o}\nspec: {}";

        var f = Assert.Single(Run(new CrdNotInstalledRule(), Operator(), bridge));

        Assert.Equal("write apiVersion: opentelemetry.io/v1alpha1 (the versions the installed CRD serves: v1alpha1)", f.Fix);
    }

    [Fact]
    public void The_guides_binding_names_a_role_the_declared_chart_does_not_create()
    {
        var scenario = ScenarioLoader.Load(RepoPaths.Scenario("payments"));
        var findings = Linter.Run(ManifestLoader.Load(scenario.ManifestPaths, recursive: true), [new TargetAllocatorRbacRule()], scenario.Install);

        var f = Assert.Single(findings);
        Assert.Contains(
            "ClusterRole opentelemetry-operator-targetallocator is not in these manifests, and the declared install does not create it " +
            "(it creates opentelemetry-operator-manager, opentelemetry-operator-metrics, opentelemetry-operator-proxy)", f.Evidence);
    }
}
