using System.Text.Json.Nodes;
using OtelLab.Model.Install;
using OtelLab.Scenarios.Definition;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Model.Install;

/// <summary>What each pinned chart version installs: the CRDs and ClusterRoles the sim and the lint rules rely on.</summary>
[Trait("Category", "Unit")]
public sealed class ChartCatalogTests
{
    [Fact]
    public void Operator_chart_0_74_2_ships_three_crds_and_no_target_allocator()
    {
        var chart = ChartCatalog.Find("opentelemetry-operator", "0.74.2")!;

        Assert.Equal("0.113.0", chart.AppVersion);
        Assert.Equal(["opampbridges.opentelemetry.io", "opentelemetrycollectors.opentelemetry.io", "instrumentations.opentelemetry.io"], chart.Crds.Select(c => c.Name));
        Assert.DoesNotContain(chart.Crds, c => c.Kind == "TargetAllocator");
        Assert.Contains("operator.collector.targetallocatorcr", chart.FeatureGates);
    }

    [Theory]
    [InlineData("opentelemetry-operator", new[] { "opentelemetry-operator-manager", "opentelemetry-operator-metrics", "opentelemetry-operator-proxy" })]
    [InlineData("otel", new[] { "otel-opentelemetry-operator-manager", "otel-opentelemetry-operator-metrics", "otel-opentelemetry-operator-proxy" })]
    public void Cluster_roles_are_named_by_the_charts_fullname_helper(string release, string[] roles) =>
        Assert.Equal(roles, ChartCatalog.OpenTelemetryOperator.ClusterRoleNames(release));

    [Fact]
    public void Cert_manager_installs_its_crds_only_when_asked_and_versions_match_with_or_without_v()
    {
        Assert.Same(ChartCatalog.CertManager, ChartCatalog.Find("cert-manager", "1.15.3"));
        Assert.False(ChartCatalog.CertManager.InstallsCrds(new JsonObject()));
        Assert.True(ChartCatalog.CertManager.InstallsCrds(JsonNode.Parse("""{"crds":{"enabled":true}}""")!.AsObject()));
        Assert.True(ChartCatalog.CertManager.InstallsCrds(JsonNode.Parse("""{"installCRDs":true}""")!.AsObject()));
    }

    [Fact]
    public void The_guides_install_serves_exactly_these_crds()
    {
        // What the sim's API server should serve for the payments scenario (kubectl get crd).
        var crds = ScenarioLoader.Load(RepoPaths.Scenario("payments")).Install.InstalledCrds()!;

        Assert.Equal(
        [
            "certificaterequests.cert-manager.io", "certificates.cert-manager.io", "challenges.acme.cert-manager.io",
            "clusterissuers.cert-manager.io", "issuers.cert-manager.io", "orders.acme.cert-manager.io",
            "opampbridges.opentelemetry.io", "opentelemetrycollectors.opentelemetry.io", "instrumentations.opentelemetry.io",
        ], crds.Select(c => c.Name));
    }

    [Fact]
    public void A_scenario_without_an_install_leaves_the_crd_set_to_the_default()
    {
        Assert.Null(InstallSpec.None.InstalledCrds());
        Assert.Equal(ChartCatalog.OpenTelemetryOperator.Crds, ChartCatalog.DefaultCrds);
    }

    [Fact]
    public void Crds_create_false_installs_none_of_the_operators_crds()
    {
        var install = new InstallSpec
        {
            Releases = [new HelmRelease { Name = "op", Chart = "open-telemetry/opentelemetry-operator", Version = "0.74.2", Set = [new("crds.create=false", default)] }],
        };

        Assert.Empty(install.InstalledCrds()!);
    }

    [Fact]
    public void Cert_managers_cluster_roles_are_the_ones_its_v1_15_3_templates_render()
    {
        // deploy/charts/cert-manager/templates/{rbac,cainjector-rbac,webhook-rbac}.yaml@v1.15.3 with the default values
        // (rbac.create, aggregateClusterRoles, cainjector.enabled true; disableAutoApproval false)
        Assert.Equal(
        [
            "cert-manager-cainjector", "cert-manager-controller-issuers", "cert-manager-controller-clusterissuers",
            "cert-manager-controller-certificates", "cert-manager-controller-orders", "cert-manager-controller-challenges",
            "cert-manager-controller-ingress-shim", "cert-manager-cluster-view", "cert-manager-view", "cert-manager-edit",
            "cert-manager-controller-approve:cert-manager-io", "cert-manager-controller-certificatesigningrequests",
            "cert-manager-webhook:subjectaccessreviews",
        ], ChartCatalog.CertManager.ClusterRoleNames("cert-manager"));
    }

    [Fact]
    public void Vaults_only_default_cluster_role_is_the_injectors_and_it_ships_no_crds()
    {
        // templates/injector-clusterrole.yaml@v0.28.1; csi-clusterrole.yaml renders only with csi.enabled=true
        Assert.Equal(["vault-agent-injector-clusterrole"], ChartCatalog.Vault.ClusterRoleNames("vault"));
        Assert.Empty(ChartCatalog.Vault.Crds);
    }
}
