using k8s;
using OtelLab.K3s;
using OtelLab.Scenarios.Cluster;
using OtelLab.Tests.Scenarios.Cluster;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.K3s;

/// <summary>
/// The cluster contract (and the pods as dashboard resources) against real k3s through KubernetesClient: the same
/// suite the sim's API server passes. Skips with <see cref="K3sFactAttribute"/>'s reason where k3s cannot start;
/// the workload is the ledger sample service's image, built from its Dockerfile and imported through LAB_K3S_IMAGES.
/// </summary>
[Trait("Category", "K3s")]
public sealed class K3sClusterContractTests(K3sClusterContractTests.K3sFixture k3s) : ClusterContractTests, IClassFixture<K3sClusterContractTests.K3sFixture>
{
    protected override ICluster Cluster
    {
        get
        {
            if (K3sFactAttribute.SkipReason is { } reason)
            {
                Assert.Skip(reason);
            }

            return new KubernetesCluster(k3s.Client!);
        }
    }

    protected override string WorkloadImage => "otel-lab/ledger:1.0.0";

    /// <summary>One k3s for the suite, started only where it can start.</summary>
    public sealed class K3sFixture : IAsyncLifetime
    {
        private readonly TempDirectory _scratch = new();
        private K3sCluster? _cluster;

        public Kubernetes? Client { get; private set; }

        public async ValueTask InitializeAsync()
        {
            if (K3sFactAttribute.SkipReason is not null)
            {
                return;
            }

            var ct = TestContext.Current.CancellationToken;
            _cluster = K3sFactAttribute.Builder().Build();
            await _cluster.StartAsync(ct);
            var file = Path.Combine(_scratch.Path, "kubeconfig");
            await File.WriteAllTextAsync(file, await _cluster.GetKubeconfigAsync(), ct);
            Client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(file));
        }

        public async ValueTask DisposeAsync()
        {
            Client?.Dispose();
            if (_cluster is not null)
            {
                await _cluster.DisposeAsync();
            }

            _scratch.Dispose();
        }
    }
}
