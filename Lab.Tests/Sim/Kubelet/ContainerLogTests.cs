using OtelLab.Sim.Kubelet;

namespace OtelLab.Tests.Sim.Kubelet;

[Trait("Category", "Unit")]
public sealed class ContainerLogTests
{
    [Theory]
    [InlineData(10, 100)]
    [InlineData(100, 100)]
    [InlineData(101, 100)]
    [InlineData(1000, 100)]
    [InlineData(5, 1)]
    public void HoldsTheNewestLinesUpToItsCapacityInOrder(int written, int capacity)
    {
        var log = new ContainerLog(TimeProvider.System, capacity);
        log.BeginInstance();
        for (var i = 0; i < written; i++)
        {
            log.Write($"line {i}");
        }

        var expected = Enumerable.Range(Math.Max(0, written - capacity), Math.Min(written, capacity)).Select(i => $"line {i}").ToList();
        Assert.Equal(expected, log.Lines());
        Assert.Equal(expected, log.Read(0)!.Lines.Select(l => l.Line).ToList());
        Assert.Equal(Math.Max(0, written - capacity), log.Dropped);
        Assert.Equal(capacity, log.Capacity);
    }

    [Fact]
    public void SplitsInstancesAcrossTheGrowth()
    {
        var log = new ContainerLog(TimeProvider.System, 2000);
        log.BeginInstance();
        for (var i = 0; i < 20; i++)
        {
            log.Write($"first {i}");
        }

        log.BeginInstance();
        for (var i = 0; i < 40; i++)
        {
            log.Write($"second {i}");
        }

        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"first {i}"), log.Read(0, previous: true)!.Lines.Select(l => l.Line));
        Assert.Equal(Enumerable.Range(0, 40).Select(i => $"second {i}"), log.Read(0)!.Lines.Select(l => l.Line));
    }
}
