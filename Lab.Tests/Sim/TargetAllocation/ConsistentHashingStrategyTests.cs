using System.Globalization;
using System.IO.Hashing;
using FsCheck;
using FsCheck.Fluent;
using OtelLab.Sim.Relabeling;
using OtelLab.Sim.TargetAllocation;
using OtelLab.Sim.TargetAllocation.Internal;

namespace OtelLab.Tests.Sim.TargetAllocation;

[Trait("Category", "Unit")]
public sealed class ConsistentHashingStrategyTests
{
    [Fact]
    public void Xxh64_matches_the_published_vectors_and_go_cespare_xxhash()
    {
        // Given the published XXH64 seed-0 vectors and the ones Go's cespare/xxhash produced
        Assert.Equal(0xEF46DB3751D8E999UL, XxHash64.HashToUInt64([]));
        Assert.Equal(0x44BC2CF5AD770999UL, XxHash64.HashToUInt64("abc"u8));
        var rows = GoVectors.Of("xxh64").ToList();
        Assert.NotEmpty(rows);

        // When / Then every input hashes to Go's value
        foreach (var row in rows)
        {
            Assert.Equal(ulong.Parse(row[2], NumberStyles.HexNumber, CultureInfo.InvariantCulture), ConsistentRing.Hash(Convert.FromHexString(row[1])));
        }
    }

    [Theory]
    [InlineData("one")]
    [InlineData("ta3")]
    [InlineData("ta4")]
    [InlineData("abc")]
    [InlineData("ta7")]
    [InlineData("ta100")]
    [InlineData("c100")]
    public void Partition_owners_caps_and_loads_match_the_go_library(string set)
    {
        // Given the member set, in reverse order to show the ring does not depend on insertion order
        var members = GoVectors.Members(set);
        var ring = new ConsistentRing(members.Reverse(), 1061, 5, 1.1);

        // When / Then the cap, every partition's owner and the per-member loads are Go's
        Assert.Equal(double.Parse(GoVectors.Of("avgload").Single(r => r[1] == set)[2], CultureInfo.InvariantCulture), ring.AverageLoad);
        var owners = GoVectors.Of("partitions").Single(r => r[1] == set)[2].Split(',').Select(int.Parse).ToArray();
        Assert.Equal(1061, owners.Length);
        for (var p = 0; p < owners.Length; p++)
        {
            Assert.Equal(members[owners[p]], ring.PartitionOwner(p));
        }

        var loads = GoVectors.Of("loads").Single(r => r[1] == set)[2].Split(',').Select(int.Parse).ToArray();
        Assert.Equal(loads, members.Select(m => ring.Loads.GetValueOrDefault(m)).ToArray());
    }

    [Fact]
    public void Every_golden_target_is_assigned_to_the_collector_go_assigns()
    {
        // Given the golden locate rows for every member set
        var rows = GoVectors.Of("locate").ToList();
        Assert.True(rows.Count > 1000);
        foreach (var group in rows.GroupBy(r => r[1]))
        {
            var strategy = new ConsistentHashingStrategy();
            var collectors = GoVectors.Members(group.Key).ToDictionary(n => n, n => new CollectorReplica(n));
            strategy.SetCollectors(collectors);

            // When each target (keyed by its __address__) is located
            foreach (var row in group)
            {
                var item = TargetItem.Create("job", LabelSet.From((Label.Address, row[2])));
                var owner = strategy.GetCollectorForTarget(collectors, item, out var error);

                // Then it is Go's owner
                Assert.Null(error);
                Assert.Equal(row[3], owner!.Name);
            }
        }
    }

    [Fact]
    public void Scaling_3_to_4_moves_exactly_the_targets_go_moves()
    {
        // Given 10,000 targets over 3 collectors
        var targets = Enumerable.Range(0, 10_000).Select(i => TargetItem.Create("job", LabelSet.From((Label.Address, GoVectors.Target(i))))).ToList();
        var allocator = new Allocator(new ConsistentHashingStrategy());
        allocator.SetCollectors([.. GoVectors.Names(3).Select(n => new CollectorReplica(n))]);
        allocator.SetTargets(targets);
        var before = allocator.Assignments();

        // When a fourth collector joins
        allocator.SetCollectors([.. GoVectors.Names(4).Select(n => new CollectorReplica(n))]);
        var after = allocator.Assignments();

        // Then the moved count is Go's (3,021 of 10,000 = 30.2 %: bounded loads move more than the ideal 1/4),
        // and every moved target went to the new collector or was displaced by the tighter cap
        var moved = before.Count(kv => after[kv.Key] != kv.Value);
        var expected = int.Parse(GoVectors.Of("moved").Single(r => r[1] == "3" && r[2] == "4")[4], CultureInfo.InvariantCulture);
        Assert.Equal(expected, moved);
        Assert.Equal(3021, moved);
        Assert.All(after.Values, c => Assert.StartsWith("otel-prometheus-collector-", c, StringComparison.Ordinal));
    }

    [Fact]
    public void Scaling_4_to_3_moves_the_removed_collectors_targets_plus_what_the_new_caps_move()
    {
        // Given 10,000 targets over 4 collectors
        var targets = Enumerable.Range(0, 10_000).Select(i => TargetItem.Create("job", LabelSet.From((Label.Address, GoVectors.Target(i))))).ToList();
        var allocator = new Allocator(new ConsistentHashingStrategy());
        allocator.SetCollectors([.. GoVectors.Names(4).Select(n => new CollectorReplica(n))]);
        allocator.SetTargets(targets);
        var before = allocator.Assignments();

        // When collector-3 leaves
        allocator.SetCollectors([.. GoVectors.Names(3).Select(n => new CollectorReplica(n))]);
        var after = allocator.Assignments();

        // Then all of collector-3's targets moved (they must), and 230 others moved because every partition is
        // re-walked against the new cap ceil(1061/3*1.1) = 390: exactly Go's split
        var fromRemoved = before.Count(kv => kv.Value == "otel-prometheus-collector-3");
        var others = before.Count(kv => kv.Value != "otel-prometheus-collector-3" && after[kv.Key] != kv.Value);
        var golden = GoVectors.Of("scalein").Single();
        Assert.Equal(int.Parse(golden[4], CultureInfo.InvariantCulture), fromRemoved);
        Assert.Equal(int.Parse(golden[5], CultureInfo.InvariantCulture), others);
        Assert.DoesNotContain("otel-prometheus-collector-3", after.Values);
    }

    [Fact]
    public void A_collector_can_own_no_partition_and_never_get_a_target()
    {
        // Given 100 collectors named collector-0..99: Go's library gives collector-69 no partition
        // (5 points per member; its arcs are all taken before the walk reaches it)
        var allocator = new Allocator(new ConsistentHashingStrategy());
        allocator.SetCollectors([.. GoVectors.Members("c100").Select(n => new CollectorReplica(n))]);

        // When 10,000 targets are allocated
        allocator.SetTargets([.. Enumerable.Range(0, 10_000).Select(i => TargetItem.Create("job", LabelSet.From((Label.Address, GoVectors.Target(i)))))]);

        // Then collector-69 holds none of them, whatever the target count
        var loads = GoVectors.Of("loads").Single(r => r[1] == "c100")[2].Split(',');
        Assert.Equal("0", loads[Array.IndexOf(GoVectors.Members("c100"), "collector-69")]);
        Assert.Equal(0, allocator.Collectors()["collector-69"].NumTargets);
        Assert.All(allocator.Collectors().Values.Where(c => c.Name != "collector-69"), c => Assert.True(c.NumTargets > 0));
    }

    [Fact]
    public void No_collector_owns_more_partitions_than_the_load_bound()
    {
        // Property: for any set of 1..60 distinct member names, every member owns at most ceil(1061/n*1.1)
        // partitions and all 1061 partitions are owned.
        var names = Gen.Choose(1, 60).SelectMany(n => Gen.ListOf(Gen.Elements("a", "b", "c", "x", "-", "0", "9"), 3)
            .Select(chars => string.Concat(chars)).ListOf(n).Select(l => l.Distinct().ToArray()));
        Prop.ForAll(names.ToArbitrary(), members =>
        {
            var ring = new ConsistentRing(members, 1061, 5, 1.1);
            var cap = Math.Ceiling(1061.0 / members.Length * 1.1);
            return ring.Loads.Values.All(load => load <= cap) && ring.Loads.Values.Sum() == 1061;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void The_assignment_does_not_depend_on_the_order_collectors_are_listed()
    {
        // Property: any permutation of the same collector names gives every target the same owner
        var permutation = Gen.Shuffle(GoVectors.Names(5));
        Prop.ForAll(permutation.ToArbitrary(), names =>
        {
            var ring = new ConsistentRing(names, 1061, 5, 1.1);
            var reference = new ConsistentRing(GoVectors.Names(5), 1061, 5, 1.1);
            return Enumerable.Range(0, 1061).All(p => ring.PartitionOwner(p) == reference.PartitionOwner(p));
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void With_no_collectors_targets_stay_unassigned_without_errors()
    {
        // Given an allocator without collectors
        var allocator = new Allocator(new ConsistentHashingStrategy());

        // When targets arrive
        allocator.SetTargets([TargetItem.Create("job", LabelSet.From((Label.Address, "10.0.0.1:9100")))]);

        // Then they are kept, unassigned, and no assignment error is reported (upstream returns early)
        Assert.Equal([""], allocator.Assignments().Values);
        Assert.Empty(allocator.LastAssignmentErrors);
    }
}
