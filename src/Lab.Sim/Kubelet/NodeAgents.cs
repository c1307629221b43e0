using OtelLab.Sim.Cluster;
using OtelLab.Sim.Networking;

namespace OtelLab.Sim.Kubelet;

/// <summary>A kubelet on every node of the cluster, started together; container logs looked up across nodes.</summary>
public sealed class NodeAgents : IAsyncDisposable
{
    private readonly List<Kubelet> _kubelets;

    private NodeAgents(List<Kubelet> kubelets)
    {
        _kubelets = kubelets;
    }

    public IReadOnlyList<Kubelet> Kubelets => _kubelets;

    public static NodeAgents Start(SimulatedCluster cluster, KubeletOptions? options = null, IClusterResolver? resolver = null)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        resolver ??= new ClusterDns(cluster);
        var kubelets = cluster.Nodes.Select(n => new Kubelet(cluster, n.Metadata.Name, options, resolver)).ToList();
        foreach (var k in kubelets)
        {
            k.Start();
        }

        return new NodeAgents(kubelets);
    }

    public ContainerLog? LogOf(string ns, string pod, string container) =>
        _kubelets.Select(k => k.LogOf(ns, pod, container)).FirstOrDefault(l => l is not null);

    public RunningContainer? Find(string ns, string pod, string container) =>
        _kubelets.Select(k => k.Find(ns, pod, container)).FirstOrDefault(c => c is not null);

    /// <summary>The pods that took longest to stop at the nodes' shutdown, slowest first.</summary>
    public IReadOnlyList<PodStop> SlowestShutdownStops(int count) =>
        [.. _kubelets.SelectMany(k => k.ShutdownStops).OrderByDescending(s => s.Took).Take(count)];

    // Nodes shut down side by side, as a cluster's nodes do: the lab's stop takes the slowest node, not their sum.
    public async ValueTask DisposeAsync() =>
        await Task.WhenAll(_kubelets.Select(k => k.DisposeAsync().AsTask())).ConfigureAwait(false);
}
