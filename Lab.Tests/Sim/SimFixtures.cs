using k8s.Models;
using OtelLab.Model.Manifests;
using OtelLab.Sim.Cluster;
using OtelLab.Sim.Networking;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Sim;

/// <summary>Small builders for the simulated cluster tests.</summary>
internal static class SimFixtures
{
    /// <summary>A cluster on this test process's address slot, or on <paramref name="addresses"/> (a run's own claimed slot).</summary>
    public static SimulatedCluster NewCluster(int nodes = 3, TimeProvider? time = null, LoopbackAddressPlan? addresses = null) =>
        new(new ClusterOptions { Nodes = nodes, Time = time ?? TimeProvider.System, Addresses = addresses ?? new LoopbackAddressPlan(TestAddressSlot.Slot) });

    public static async Task<ApplyResult> ApplyYamlAsync(SimulatedCluster cluster, string yaml)
    {
        var set = ManifestLoader.LoadText("test.yaml", yaml);
        Assert.Empty(set.Errors);
        return await cluster.ApplyAsync(set, TestContext.Current.CancellationToken);
    }

    /// <summary>Marks a pod Running and Ready, as the kubelet does once its containers are up.</summary>
    public static void MarkReady(SimulatedCluster cluster, V1Pod pod, bool ready = true)
    {
        var copy = k8s.KubernetesJson.Deserialize<V1Pod>(k8s.KubernetesJson.Serialize(pod));
        copy.Status.Phase = "Running";
        copy.Status.Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False" }];
        cluster.UpdateStatus(copy);
    }

    public static IReadOnlyList<V1Pod> PodsOf(SimulatedCluster cluster, string ns, string labelSelector) =>
        cluster.List<V1Pod>(ns, LabelSelector.Parse(labelSelector));
}
