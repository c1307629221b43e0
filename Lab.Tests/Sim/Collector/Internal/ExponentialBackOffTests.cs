using OtelLab.Sim.Collector.Internal;

namespace OtelLab.Tests.Sim.Collector.Internal;

/// <summary>cenkalti/backoff's ExponentialBackOff intervals, with exporterhelper's retry_on_failure defaults.</summary>
[Trait("Category", "Unit")]
public sealed class ExponentialBackOffTests
{
    [Fact]
    public void Retry_on_failure_defaults_wait_5_s_then_half_again_each_time_up_to_30_s()
    {
        // rand = 0.5 is the middle of the ±50 % band: the interval itself
        var backOff = new ExponentialBackOff(TimeSpan.FromSeconds(5), 0.5, 1.5, TimeSpan.FromSeconds(30), () => 0.5);

        var waits = Enumerable.Range(0, 7).Select(_ => backOff.Next().TotalSeconds).ToList();

        Assert.Equal([5, 7.5, 11.25, 16.875, 25.3125, 30, 30], waits);
    }

    [Theory]
    [InlineData(0.0, 2.5)]
    [InlineData(0.5, 5.0)]
    [InlineData(0.999, 7.495)]
    public void Each_wait_lies_within_the_randomization_factor_of_the_interval(double random, double expected)
    {
        var backOff = new ExponentialBackOff(TimeSpan.FromSeconds(5), 0.5, 1.5, TimeSpan.FromSeconds(30), () => random);

        Assert.Equal(expected, backOff.Next().TotalSeconds, precision: 6);
    }
}
