using OtelLab.Sim.Relabeling;
using OtelLab.Sim.TargetAllocation;

namespace OtelLab.Tests.Sim.TargetAllocation;

[Trait("Category", "Unit")]
public sealed class AllocatorTests
{
    private static TargetItem Target(int i, string team = "payments") =>
        TargetItem.Create("farm", LabelSet.From((Label.Address, $"10.0.{i / 250}.{i % 250}:9100"), ("team", team)));

    [Fact]
    public void The_version_stays_while_discovery_finds_the_same_targets_with_the_same_labels()
    {
        // Given an allocation of 20 targets over two collectors
        var allocator = new Allocator(new ConsistentHashingStrategy());
        allocator.SetCollectors([new CollectorReplica("a"), new CollectorReplica("b")]);
        allocator.SetTargets([.. Enumerable.Range(0, 20).Select(i => Target(i))]);
        var version = allocator.Version;

        // When discovery hands over the same targets again, as new objects, and the same collectors
        allocator.SetTargets([.. Enumerable.Range(0, 20).Select(i => Target(i))]);
        allocator.SetCollectors([new CollectorReplica("a"), new CollectorReplica("b")]);

        // Then nothing served changed, and neither did the version
        Assert.Equal(version, allocator.Version);
    }

    [Fact]
    public void The_version_moves_on_a_new_target_a_gone_target_a_relabelled_target_and_a_new_collector()
    {
        var allocator = new Allocator(new ConsistentHashingStrategy());
        allocator.SetCollectors([new CollectorReplica("a")]);
        allocator.SetTargets([.. Enumerable.Range(0, 5).Select(i => Target(i))]);
        var seen = new List<long> { allocator.Version };

        allocator.SetTargets([.. Enumerable.Range(0, 6).Select(i => Target(i))]);
        seen.Add(allocator.Version);
        allocator.SetTargets([.. Enumerable.Range(1, 5).Select(i => Target(i))]);
        seen.Add(allocator.Version);
        allocator.SetTargets([.. Enumerable.Range(1, 5).Select(i => Target(i, team: i == 3 ? "ledger" : "payments"))]);
        seen.Add(allocator.Version);
        allocator.SetCollectors([new CollectorReplica("a"), new CollectorReplica("b")]);
        seen.Add(allocator.Version);

        // Each change of what the TA serves gives a version not seen before.
        Assert.Equal(seen.Count, seen.Distinct().Count());
    }
}
