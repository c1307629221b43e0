using OtelLab.Lint;
using OtelLab.Lint.Rules;
using OtelLab.Model.Install;
using OtelLab.Model.Manifests;

namespace OtelLab.Tests.Lint.Rules;

/// <summary>
/// The values of the guide's cert-manager and Vault releases, checked as Helm checks them: Vault 0.28.1 ships a
/// values.schema.json (validated like the operator's), cert-manager v1.15.3 ships none (Helm takes any key).
/// </summary>
[Trait("Category", "Unit")]
public sealed class ThirdPartyChartValuesTests
{
    private static InstallSpec Release(string name, string chart, string version, params string[] sets) => new()
    {
        Releases =
        [
            new HelmRelease
            {
                Name = name, Chart = chart, Version = version,
                Set = sets.Select((s, i) => new HelmSetValue(s, new("scenario.yaml", 20 + i, 11))).ToList(),
                Location = new("scenario.yaml", 19, 7),
            },
        ],
    };

    private static InstallSpec Vault(params string[] sets) => Release("vault", "hashicorp/vault", "0.28.1", sets);

    private static InstallSpec CertManager(params string[] sets) => Release("cert-manager", "jetstack/cert-manager", "v1.15.3", sets);

    private static IReadOnlyList<Finding> Run(LintRule rule, InstallSpec install) =>
        Linter.Run(ManifestLoader.LoadText("fixture.yaml", string.Empty), [rule], install);

    [Fact]
    public void Vaults_schema_refuses_a_string_where_it_types_a_boolean_naming_key_chart_and_message()
    {
        // Given --set server.dev.enabled=yes: strvals keeps "yes" a string; the schema types dev.enabled boolean
        var f = Assert.Single(Run(new HelmValuesSchemaRule(), Vault("server.dev.enabled=yes", "injector.enabled=true")));

        Assert.Equal(Severity.Error, f.Severity);
        Assert.Equal("scenario.yaml:20", f.Location.FileAndLine);
        Assert.Equal(
            "release vault (vault 0.28.1): helm refuses --set server.dev.enabled=yes (server.dev.enabled: Invalid type. Expected: boolean, given: string): " +
            "the install fails and nothing of the chart is created", f.Message);
        Assert.Contains("Error: values don't meet the specifications of the schema(s) in the following chart(s):\nvault:\n- server.dev.enabled: Invalid type. Expected: boolean, given: string", f.Evidence);
        Assert.Contains(f.Evidence, e => e.Contains("hashicorp/vault-helm tag v0.28.1", StringComparison.Ordinal));
    }

    [Fact]
    public void The_guides_vault_dev_install_passes_vaults_schema()
    {
        // injector.enabled is typed [boolean, string] in the schema ("-" means follow global.enabled)
        Assert.Empty(Run(new HelmValuesSchemaRule(), Vault("server.dev.enabled=true", "injector.enabled=true")));
        Assert.Empty(Run(new HelmValuesSchemaRule(), Vault("injector.enabled=-")));
    }

    [Fact]
    public void A_key_vaults_schema_does_not_refuse_and_no_template_reads_is_taken_silently_and_said()
    {
        // Vault's schema types the keys it knows and allows any other (no additionalProperties: false anywhere)
        var findings = Run(new HelmValuesIgnoredRule(), Vault("server.dev.enable=true"));

        var f = Assert.Single(findings);
        Assert.Equal(Severity.Warning, f.Severity);
        Assert.Equal("scenario.yaml:20", f.Location.FileAndLine);
        Assert.Contains("--set server.dev.enable=true is not a value of chart vault 0.28.1", f.Message, StringComparison.Ordinal);
        Assert.Contains("did you mean server.dev.enabled?", f.Fix, StringComparison.Ordinal);
        Assert.Contains("the chart's values.schema.json does not refuse it", Assert.Single(f.Evidence), StringComparison.Ordinal);
        Assert.Empty(Run(new HelmValuesSchemaRule(), Vault("server.dev.enable=true")));
    }

    [Fact]
    public void Cert_manager_v1_15_3_ships_no_schema_so_helm_validates_nothing()
    {
        // deploy/charts/cert-manager@v1.15.3 has values.yaml but no values.schema.json (added in v1.16.0)
        Assert.False(ChartCatalog.CertManager.ShipsSchema);
        Assert.Null(ChartCatalog.CertManager.Schema);
        Assert.NotNull(ChartCatalog.CertManager.DefaultValues);
        Assert.Contains("no values.schema.json", ChartCatalog.CertManager.Provenance, StringComparison.Ordinal);

        // a wrong type is not refused (nothing validates) ...
        Assert.Empty(Run(new HelmValuesSchemaRule(), CertManager("crds.enabled=yes")));
    }

    [Fact]
    public void A_misspelt_cert_manager_value_is_a_warning_naming_the_key_the_chart_has()
    {
        var f = Assert.Single(Run(new HelmValuesIgnoredRule(), CertManager("crds.enable=true")));

        Assert.Equal("scenario.yaml:20", f.Location.FileAndLine);
        Assert.Equal("release cert-manager (cert-manager v1.15.3): --set crds.enable=true is not a value of chart cert-manager v1.15.3: Helm accepts it silently and nothing reads it", f.Message);
        Assert.Contains("did you mean crds.enabled?", f.Fix, StringComparison.Ordinal);
        Assert.Contains("the chart has no values.schema.json to refuse it", Assert.Single(f.Evidence), StringComparison.Ordinal);
        Assert.Empty(Run(new HelmValuesIgnoredRule(), CertManager("crds.enabled=true", "installCRDs=true")));
    }

    [Theory]
    [InlineData("opentelemetry-operator", true)]
    [InlineData("cert-manager", false)]
    [InlineData("vault", true)]
    public void Each_pinned_chart_says_whether_it_ships_a_schema_and_carries_it_when_it_does(string chart, bool shipsSchema)
    {
        var pinned = ChartCatalog.All.Single(c => c.Name == chart);

        Assert.Equal(shipsSchema, pinned.ShipsSchema);
        Assert.Equal(shipsSchema, pinned.Schema is not null);
        Assert.NotNull(pinned.DefaultValues);
    }
}
