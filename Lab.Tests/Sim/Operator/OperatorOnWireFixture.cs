using k8s.Models;
using OtelLab.Model.Crds;
using OtelLab.Model.Manifests;
using OtelLab.Sim.ApiServer;
using OtelLab.Sim.Cluster;
using OtelLab.Sim.Networking;
using OtelLab.Sim.Operator;
using OtelLab.Sim.Vault;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Sim.Operator;

/// <summary>
/// A simulated cluster with no in-process operator: the operator's manager runs as an API client of the cluster's
/// API server, as the chart's ServiceAccount; the payments-fixed manifests are applied once its informers run.
/// </summary>
public sealed class OperatorOnWireFixture : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private readonly ServiceAccountTokenIssuer _issuer = new();

    // The CRDs payments-fixed's declared operator chart (0.74.2) installs, as the lab serves them for that scenario.
    public SimulatedCluster Cluster { get; } = new(new ClusterOptions
    {
        Nodes = 3,
        Addresses = new LoopbackAddressPlan(TestAddressSlot.Slot),
        CustomResourceDefinitions = [.. CrdCatalog.OperatorChart0742, .. CrdCatalog.PrometheusOperatorMonitors],
    });

    public KubernetesApiServer Server { get; private set; } = null!;

    public OperatorManager Manager { get; private set; } = null!;

    public string KubeconfigPath { get; private set; } = string.Empty;

    /// <summary>kubectl's HOME and caches, of this fixture alone.</summary>
    public string TempPath => _dir.Path;

    public async ValueTask InitializeAsync()
    {
        Server = await KubernetesApiServer.StartAsync(Cluster);
        Server.ServiceAccountTokens = _issuer.Review;
        KubeconfigPath = Server.WriteKubeconfig(Path.Combine(_dir.Path, "kubeconfig"));
        var subject = OperatorChartRbac.Apply(Cluster);
        Manager = OpenTelemetryOperator.RunOverWire(Cluster, Server.Endpoint, _issuer.Issue(subject.Namespace, subject.Name));
        var manifests = ManifestLoader.Load([Path.Combine(RepoPaths.Scenario("payments-fixed"), "manifests")]);
        Assert.Empty(manifests.Errors);
        await Cluster.ApplyAsync(manifests);
        // The wire operator reconciles each collector on its own queue: every test starts from all three workloads.
        Assert.True(await Cluster.WaitUntilAsync(c => c.Get<V1Deployment>("observability", "otel-gateway-collector") is not null
                && c.Get<V1DaemonSet>("observability", "otel-agent-collector") is not null
                && c.Get<V1StatefulSet>("observability", "otel-prometheus-collector") is not null, TimeSpan.FromSeconds(20)),
            $"the wire operator did not create the three collectors' workloads; its log:\n{string.Join('\n', Manager.Log)}");
    }

    public async ValueTask DisposeAsync()
    {
        await Manager.DisposeAsync();
        await Server.DisposeAsync();
        _issuer.Dispose();
        _dir.Dispose();
    }
}
