using OtelLab.Model.Crds;
using OtelLab.Scenarios.Definition;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Model.Crds;

/// <summary>The simulated API server serves exactly the CRDs a scenario's declared Helm install ships.</summary>
[Trait("Category", "Unit")]
public sealed class CrdCatalogForInstallTests
{
    [Fact]
    public void The_guides_install_serves_the_operator_charts_three_crds_and_cert_managers_but_no_targetallocators()
    {
        var install = ScenarioLoader.Load(RepoPaths.Scenario("payments")).Install;

        var served = CrdCatalog.ForInstall(install.InstalledCrds()).Select(c => c.Metadata.Name).ToList();

        Assert.Equal(install.InstalledCrds()!.Select(c => c.Name).Order(StringComparer.Ordinal),
            served.Where(n => !n.EndsWith(".monitoring.coreos.com", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.Contains("opentelemetrycollectors.opentelemetry.io", served);
        Assert.Contains("instrumentations.opentelemetry.io", served);
        Assert.Contains("certificates.cert-manager.io", served);
        Assert.DoesNotContain("targetallocators.opentelemetry.io", served);
        Assert.Contains("servicemonitors.monitoring.coreos.com", served);
    }

    [Fact]
    public void A_chart_crd_with_an_embedded_schema_is_served_with_it_and_the_others_as_schemaless_stand_ins()
    {
        var install = ScenarioLoader.Load(RepoPaths.Scenario("payments")).Install;
        var served = CrdCatalog.ForInstall(install.InstalledCrds()).ToDictionary(c => c.Metadata.Name, StringComparer.Ordinal);

        var collectors = served["opentelemetrycollectors.opentelemetry.io"];
        Assert.Same(CrdCatalog.OperatorChart0742.Single(c => c.Metadata.Name == "opentelemetrycollectors.opentelemetry.io"), collectors);
        var issuer = served["clusterissuers.cert-manager.io"];
        Assert.Equal("Cluster", issuer.Spec.Scope);
        Assert.Equal("ClusterIssuer", issuer.Spec.Names.Kind);
        Assert.True(issuer.Spec.Versions.Single(v => v.Storage).Schema.OpenAPIV3Schema.Properties["spec"].XKubernetesPreserveUnknownFields);
    }

    [Fact]
    public void Without_a_declared_install_the_lab_default_set_is_served()
    {
        Assert.Equal(CrdCatalog.LabDefault.Select(c => c.Metadata.Name), CrdCatalog.ForInstall(null).Select(c => c.Metadata.Name));
    }
}
