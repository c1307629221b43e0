using OtelLab.Sim.Collector.Telemetry;
using OtelLab.Sim.Relabeling;
using OtelLab.Sim.TargetAllocation;

namespace OtelLab.Tests.Sim.TargetAllocation;

[Trait("Category", "Unit")]
public sealed class PerNodeStrategyTests
{
    private static TargetItem Target(string address, params (string Name, string Value)[] labels) =>
        TargetItem.Create("job", LabelSet.From([(Label.Address, address), .. labels]));

    [Theory]
    [InlineData("__meta_kubernetes_pod_node_name", "node-1")]
    [InlineData("__meta_kubernetes_node_name", "node-1")]
    [InlineData("__meta_kubernetes_endpoint_node_name", "node-1")]
    public void Each_node_label_names_the_node(string label, string node)
    {
        Assert.Equal(node, Target("10.0.0.1:9100", (label, node)).NodeName);
    }

    [Fact]
    public void Node_labels_are_taken_in_upstream_precedence()
    {
        // Given a target with all three node labels and an EndpointSlice node target
        var item = Target("10.0.0.1:9100",
            ("__meta_kubernetes_endpoint_node_name", "from-endpoint"),
            ("__meta_kubernetes_node_name", "from-node"),
            ("__meta_kubernetes_pod_node_name", "from-pod"),
            ("__meta_kubernetes_endpointslice_address_target_kind", "Node"),
            ("__meta_kubernetes_endpointslice_address_target_name", "from-slice"));

        // Then the pod label wins; without node labels, a Node-kind EndpointSlice target name is used; other kinds give ""
        Assert.Equal("from-pod", item.NodeName);
        Assert.Equal("from-slice", Target("a:1", ("__meta_kubernetes_endpointslice_address_target_kind", "Node"), ("__meta_kubernetes_endpointslice_address_target_name", "from-slice")).NodeName);
        Assert.Equal("", Target("a:1", ("__meta_kubernetes_endpointslice_address_target_kind", "Pod"), ("__meta_kubernetes_endpointslice_address_target_name", "pod-x")).NodeName);
    }

    [Fact]
    public void Targets_go_to_the_collector_on_their_node_and_the_rest_stay_unassigned_and_counted()
    {
        // Given collectors on node-1 and node-2
        var metrics = new MetricRegistry();
        var allocator = new Allocator(new PerNodeStrategy(), metrics);
        allocator.SetCollectors([new CollectorReplica("agent-a", "node-1"), new CollectorReplica("agent-b", "node-2")]);

        // When targets on node-1, node-3 (no collector) and without a node arrive
        allocator.SetTargets([
            Target("10.0.0.1:9100", ("__meta_kubernetes_pod_node_name", "node-1")),
            Target("10.0.0.3:9100", ("__meta_kubernetes_pod_node_name", "node-3")),
            Target("0.0.0.0:8888"),
        ]);

        // Then the node-1 target is on agent-a, the others are unassigned with upstream's messages and counted
        var byUrl = allocator.TargetItems().Values.ToDictionary(t => t.TargetUrl, t => t.CollectorName);
        Assert.Equal("agent-a", byUrl["10.0.0.1:9100"]);
        Assert.Equal("", byUrl["10.0.0.3:9100"]);
        Assert.Equal("", byUrl["0.0.0.0:8888"]);
        Assert.Equal(["could not find collector for node ", "could not find collector for node node-3"], allocator.LastAssignmentErrors.Order(StringComparer.Ordinal));
        Assert.Equal(2, metrics.Value(AllocatorMetricNames.TargetsUnassigned));
        Assert.Contains("opentelemetry_allocator_targets_unassigned 2\n", metrics.Render(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_fallback_strategy_takes_only_the_targets_without_a_node()
    {
        // Given per-node with a consistent-hashing fallback
        var allocator = new Allocator(AllocationStrategies.Create("per-node", fallback: "consistent-hashing"));
        allocator.SetCollectors([new CollectorReplica("agent-a", "node-1"), new CollectorReplica("agent-b", "node-2")]);

        // When a node-less static target and a target on a node without a collector arrive
        allocator.SetTargets([Target("0.0.0.0:8888"), Target("10.0.0.3:9100", ("__meta_kubernetes_pod_node_name", "node-3"))]);

        // Then the node-less one is assigned by the fallback; the node-3 one still fails (upstream falls back only on "")
        var byUrl = allocator.TargetItems().Values.ToDictionary(t => t.TargetUrl, t => t.CollectorName);
        Assert.Contains(byUrl["0.0.0.0:8888"], new[] { "agent-a", "agent-b" });
        Assert.Equal("", byUrl["10.0.0.3:9100"]);
        Assert.Equal(["could not find collector for node node-3"], allocator.LastAssignmentErrors);
    }

    [Fact]
    public void Collectors_without_a_node_are_not_indexed()
    {
        // Given a collector without nodeName
        var allocator = new Allocator(new PerNodeStrategy());
        allocator.SetCollectors([new CollectorReplica("agent-x", "")]);

        // When a target without a node arrives (no fallback)
        allocator.SetTargets([Target("0.0.0.0:8888")]);

        // Then it is not matched to the node-less collector
        Assert.Equal("", allocator.TargetItems().Values.Single().CollectorName);
    }
}
