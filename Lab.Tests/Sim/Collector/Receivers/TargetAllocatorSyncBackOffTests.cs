using System.Net.Sockets;
using OtelLab.Sim.Collector.Receivers.Prometheus.Internal;

namespace OtelLab.Tests.Sim.Collector.Receivers;

/// <summary>
/// The receiver's start-up retries of its first /scrape_configs sync, as contrib's targetallocator/manager.go Start
/// runs them (cenkalti/backoff v5 defaults; a refused connection after 1 s).
/// </summary>
[Trait("Category", "Unit")]
public sealed class TargetAllocatorSyncBackOffTests
{
    private static readonly HttpRequestException Refused = new("Connection refused", new SocketException((int)SocketError.ConnectionRefused));
    private static readonly HttpRequestException Reset = new("Connection reset", new SocketException((int)SocketError.ConnectionReset));

    [Fact]
    public void Other_failures_wait_500_ms_growing_by_half_each_time_up_to_60_s()
    {
        // rand = 0.5 is the middle of the ±50 % band: the interval itself
        var backOff = new TargetAllocatorSyncBackOff(() => 0.5);

        var waits = Enumerable.Range(0, 14).Select(_ => backOff.Next(Reset).TotalMilliseconds).ToList();

        Assert.Equal([500, 750, 1125, 1687.5], waits.Take(4));
        Assert.Equal(60_000, waits[^1]); // 500 × 1.5^12 ≈ 64,873 is capped
    }

    [Theory]
    [InlineData(0.0, 250)]
    [InlineData(0.999, 749.5)]
    public void Each_wait_is_spread_by_half_the_interval_either_way(double random, double expected)
    {
        var backOff = new TargetAllocatorSyncBackOff(() => random);

        Assert.Equal(expected, backOff.Next(Reset).TotalMilliseconds, precision: 6);
    }

    [Fact]
    public void A_refused_connection_waits_one_second_and_leaves_the_interval_where_it_was()
    {
        var backOff = new TargetAllocatorSyncBackOff(() => 0.5);
        Assert.Equal(500, backOff.Next(Reset).TotalMilliseconds);

        Assert.Equal(TimeSpan.FromSeconds(1), backOff.Next(Refused));
        Assert.Equal(TimeSpan.FromSeconds(1), backOff.Next(new HttpRequestException("wrapped", new IOException("io", Refused))));

        Assert.Equal(750, backOff.Next(Reset).TotalMilliseconds);
    }
}
