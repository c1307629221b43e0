using OtelLab.AppHost.Lab;
using OtelLab.Scenarios.Definition;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.AppHost;

/// <summary>When a k3s run deploys the in-cluster backends: the scenario's manifests name a vendor endpoint.</summary>
[Trait("Category", "Unit")]
public sealed class K3sSubstrateBackendsTests
{
    [Fact]
    public void A_scenario_whose_manifests_name_the_vendors_gets_the_in_cluster_backends_for_its_hosts()
    {
        var scenario = ScenarioLoader.Load(RepoPaths.Scenario("payments-fixed"));

        var backends = K3sSubstrate.InClusterBackendsFor(scenario);

        Assert.NotNull(backends);
        Assert.Equal(["abc12345.live.dynatrace.com"], backends.DynatraceHosts);
        Assert.Equal(["api.datadoghq.com", "trace.agent.datadoghq.com", "http-intake.logs.datadoghq.com"], backends.DatadogHosts);
        Assert.Equal(backends.HostServices, K3sSubstrate.Builder([scenario], null, null).Configuration.Backends!.HostServices);
        Assert.Equal(RepoPaths.Root, K3sSubstrate.Builder([scenario], null, null).Configuration.RepositoryRoot);
    }

    [Fact]
    public void A_scenario_that_sends_to_no_vendor_deploys_none()
    {
        // Given payments-fixed's scenario with only its namespaces and RBAC as manifests
        using var dir = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(dir.Path, "manifests"));
        foreach (var file in new[] { "00-namespaces.yaml", "01-agent-rbac.yaml" })
        {
            File.Copy(Path.Combine(RepoPaths.Scenario("payments-fixed"), "manifests", file), Path.Combine(dir.Path, "manifests", file));
        }

        File.WriteAllText(Path.Combine(dir.Path, "scenario.yaml"), "name: quiet\ndescription: no exporters\nmanifests: manifests\n");

        var scenario = ScenarioLoader.Load(dir.Path);

        Assert.Null(K3sSubstrate.InClusterBackendsFor(scenario));
        Assert.Null(K3sSubstrate.Builder([scenario], null, null).Configuration.Backends);
    }
}
