using k8s.Models;
using OtelLab.Model.Crds;
using OtelLab.Model.Manifests;
using OtelLab.Sim.Cluster;
using OtelLab.Sim.Operator;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Sim.Operator;

/// <summary>
/// Which path the operator takes for a collector's <c>spec.targetAllocator</c> depends on the TargetAllocator CRD
/// (upstream v0.113: a TargetAllocator CR only behind the operator.collector.targetallocatorcr gate, whose CRD the
/// operator chart 0.74.2 does not ship); either way the Target Allocator's workload exists and is owned down the chain.
/// </summary>
[Trait("Category", "Unit")]
public sealed class TargetAllocatorWithoutItsCrdTests
{
    private const string Obs = "observability";

    [Fact]
    public async Task Without_the_targetallocators_crd_the_collector_owns_the_target_allocators_deployment_directly()
    {
        var cluster = new SimulatedCluster(new ClusterOptions { Nodes = 3, CustomResourceDefinitions = [.. CrdCatalog.OperatorChart0742, .. CrdCatalog.PrometheusOperatorMonitors] });
        await ApplyPaymentsFixedAsync(cluster);

        var ta = cluster.Get<V1Deployment>(Obs, "otel-prometheus-targetallocator");
        Assert.NotNull(ta);
        var owner = Assert.Single(ta.Metadata.OwnerReferences);
        Assert.Equal(("OpenTelemetryCollector", "otel-prometheus"), (owner.Kind, owner.Name));
        Assert.NotNull(cluster.Get<V1Service>(Obs, "otel-prometheus-targetallocator"));
    }

    [Fact]
    public async Task With_the_targetallocators_crd_the_operator_goes_through_a_targetallocator_cr()
    {
        var cluster = new SimulatedCluster(new ClusterOptions { Nodes = 3, CustomResourceDefinitions = CrdCatalog.LabDefault });
        await ApplyPaymentsFixedAsync(cluster);

        var ta = cluster.Get<V1Deployment>(Obs, "otel-prometheus-targetallocator");
        Assert.NotNull(ta);
        Assert.Equal(("TargetAllocator", "otel-prometheus"), (Assert.Single(ta.Metadata.OwnerReferences).Kind, ta.Metadata.OwnerReferences[0].Name));
        Assert.NotNull(cluster.Get(ResourceKind.Of("TargetAllocator"), Obs, "otel-prometheus"));
    }

    private static async Task ApplyPaymentsFixedAsync(SimulatedCluster cluster)
    {
        OpenTelemetryOperator.Install(cluster);
        var manifests = ManifestLoader.Load([Path.Combine(RepoPaths.Scenario("payments-fixed"), "manifests")]);
        Assert.Empty(manifests.Errors);
        await cluster.ApplyAsync(manifests, TestContext.Current.CancellationToken);
        Assert.True(cluster.ControllerErrors.Count == 0, string.Join("\n", cluster.ControllerErrors));
    }
}
