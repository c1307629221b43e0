using OtelLab.Sim.TargetAllocation;

namespace OtelLab.Tests.Sim.TargetAllocation;

[Trait("Category", "Unit")]
public sealed class AllocationStrategiesTests
{
    [Fact]
    public void An_unknown_strategy_is_rejected_with_the_allowed_names()
    {
        var ex = Assert.Throws<ArgumentException>(() => AllocationStrategies.Create("round-robin"));
        Assert.StartsWith("unregistered strategy: round-robin (allowed: consistent-hashing, least-weighted, per-node)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_fallback_is_rejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => AllocationStrategies.Create("per-node", "nope"));
        Assert.StartsWith("unregistered strategy used as fallback: nope", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("consistent-hashing", typeof(ConsistentHashingStrategy))]
    [InlineData("least-weighted", typeof(LeastWeightedStrategy))]
    [InlineData("per-node", typeof(PerNodeStrategy))]
    public void Each_registered_name_creates_its_strategy(string name, Type type)
    {
        var strategy = AllocationStrategies.Create(name);
        Assert.IsType(type, strategy);
        Assert.Equal(name, strategy.Name);
    }
}
