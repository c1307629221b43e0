using OtelLab.Sim.Relabeling;
using OtelLab.Sim.TargetAllocation;

namespace OtelLab.Tests.Sim.TargetAllocation;

[Trait("Category", "Unit")]
public sealed class LeastWeightedStrategyTests
{
    private static TargetItem Target(string job, int i) => TargetItem.Create(job, LabelSet.From((Label.Address, $"10.0.{i / 250}.{i % 250}:9100")));

    [Fact]
    public void New_targets_go_to_the_collector_with_the_fewest_targets()
    {
        // Given three empty collectors
        var allocator = new Allocator(new LeastWeightedStrategy());
        allocator.SetCollectors([new CollectorReplica("c"), new CollectorReplica("a"), new CollectorReplica("b")]);

        // When seven targets arrive
        allocator.SetTargets([.. Enumerable.Range(0, 7).Select(i => Target("job", i))]);

        // Then counts differ by at most one, and the first tie went to the smallest name
        var counts = allocator.Collectors().Values.ToDictionary(c => c.Name, c => c.NumTargets);
        Assert.Equal(new Dictionary<string, int> { ["a"] = 3, ["b"] = 2, ["c"] = 2 }, counts);
    }

    [Fact]
    public void Ties_on_total_go_to_fewer_targets_of_the_same_job_then_to_the_smaller_name()
    {
        // Given a has 1 target of job x, b has 1 target of job y (equal totals)
        var strategy = new LeastWeightedStrategy();
        var a = new CollectorReplica("a") { NumTargets = 1 };
        a.TargetsPerJob["x"] = 1;
        var b = new CollectorReplica("b") { NumTargets = 1 };
        b.TargetsPerJob["y"] = 1;
        var collectors = new Dictionary<string, CollectorReplica> { ["b"] = b, ["a"] = a };

        // When a target of job x and one of job z are placed
        var forX = strategy.GetCollectorForTarget(collectors, Target("x", 1), out _);
        var forZ = strategy.GetCollectorForTarget(collectors, Target("z", 2), out _);

        // Then job x goes to b (fewer x targets) and job z to a (same per-job count, smaller name)
        Assert.Equal("b", forX!.Name);
        Assert.Equal("a", forZ!.Name);
    }

    [Fact]
    public void A_target_keeps_its_collector_while_that_collector_exists()
    {
        // Given a target assigned to b while a is emptier
        var strategy = new LeastWeightedStrategy();
        var collectors = new Dictionary<string, CollectorReplica> { ["a"] = new CollectorReplica("a"), ["b"] = new CollectorReplica("b") { NumTargets = 9 } };
        var item = Target("job", 1);
        item.CollectorName = "b";

        // When it is re-run through the strategy
        var owner = strategy.GetCollectorForTarget(collectors, item, out _);

        // Then it stays on b
        Assert.Equal("b", owner!.Name);
    }

    [Fact]
    public void A_collector_added_later_gets_no_targets_until_targets_churn_operator_2477()
    {
        // Given 300 targets spread over two collectors
        var allocator = new Allocator(new LeastWeightedStrategy());
        allocator.SetCollectors([new CollectorReplica("col-0"), new CollectorReplica("col-1")]);
        var targets = Enumerable.Range(0, 300).Select(i => Target("job", i)).ToList();
        allocator.SetTargets(targets);

        // When a third collector is added
        allocator.SetCollectors([new CollectorReplica("col-0"), new CollectorReplica("col-1"), new CollectorReplica("col-2")]);

        // Then it receives nothing (operator#2477) ...
        Assert.Equal(0, allocator.Collectors()["col-2"].NumTargets);
        Assert.Equal(150, allocator.Collectors()["col-0"].NumTargets);

        // ... and only new targets flow to it
        allocator.SetTargets([.. targets, .. Enumerable.Range(300, 30).Select(i => Target("job", i))]);
        Assert.Equal(30, allocator.Collectors()["col-2"].NumTargets);
    }

    [Fact]
    public void Targets_of_a_removed_collector_are_spread_over_the_least_loaded_ones()
    {
        // Given 90 targets over three collectors
        var allocator = new Allocator(new LeastWeightedStrategy());
        allocator.SetCollectors([new CollectorReplica("a"), new CollectorReplica("b"), new CollectorReplica("c")]);
        allocator.SetTargets([.. Enumerable.Range(0, 90).Select(i => Target("job", i))]);
        var before = allocator.Assignments();

        // When c leaves
        allocator.SetCollectors([new CollectorReplica("a"), new CollectorReplica("b")]);
        var after = allocator.Assignments();

        // Then only c's 30 targets moved and the survivors split them evenly
        Assert.Equal(30, before.Count(kv => kv.Value != after[kv.Key]));
        Assert.All(before.Where(kv => kv.Value != "c"), kv => Assert.Equal(kv.Value, after[kv.Key]));
        Assert.Equal(45, allocator.Collectors()["a"].NumTargets);
        Assert.Equal(45, allocator.Collectors()["b"].NumTargets);
    }
}
