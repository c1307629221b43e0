using OtelLab.Model.Manifests;
using OtelLab.Sim.ApiServer;
using OtelLab.Sim.Cluster;
using OtelLab.Sim.Operator;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Sim.ApiServer;

/// <summary>A simulated cluster with the operator and the payments-fixed manifests applied, served by a <see cref="KubernetesApiServer"/>, and a kubeconfig for it.</summary>
public sealed class ApiServerFixture : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();

    public SimulatedCluster Cluster { get; } = SimFixtures.NewCluster(nodes: 3);

    public KubernetesApiServer Server { get; private set; } = null!;

    public string KubeconfigPath { get; private set; } = string.Empty;

    /// <summary>A folder of this fixture's own: kubectl's HOME and caches (a stale cache from another run would hide mistakes), test files.</summary>
    public string TempPath => _dir.Path;

    public async ValueTask InitializeAsync()
    {
        OpenTelemetryOperator.Install(Cluster);
        var manifests = ManifestLoader.Load([Path.Combine(RepoPaths.Scenario("payments-fixed"), "manifests")]);
        Assert.Empty(manifests.Errors);
        await Cluster.ApplyAsync(manifests);
        Server = await KubernetesApiServer.StartAsync(Cluster);
        KubeconfigPath = Server.WriteKubeconfig(Path.Combine(_dir.Path, "kubeconfig"));
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        _dir.Dispose();
    }
}
