using k8s;
using OtelLab.Scenarios.Cluster;
using OtelLab.Tests.Sim.ApiServer.Streams;

namespace OtelLab.Tests.Scenarios.Cluster;

/// <summary>The cluster contract against the simulated cluster's API server, through KubernetesClient, on a running lab (the ledger sample service as the workload).</summary>
[Trait("Category", "Lab")]
public sealed class SimClusterContractTests(GuideLabFixture lab) : ClusterContractTests, IClassFixture<GuideLabFixture>, IDisposable
{
    private Kubernetes? _client;

    protected override ICluster Cluster
    {
        get
        {
            ScenarioRun.SkipUnlessRunnable();
            _client ??= new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(lab.Lab.KubeconfigPath));
            return new KubernetesCluster(_client);
        }
    }

    protected override string WorkloadImage => "otel-lab/ledger:1.0.0";

    public void Dispose() => _client?.Dispose();
}
