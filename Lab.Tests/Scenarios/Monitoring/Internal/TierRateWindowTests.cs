using OtelLab.Scenarios.Monitoring.Internal;

namespace OtelLab.Tests.Scenarios.Monitoring.Internal;

[Trait("Category", "Unit")]
public sealed class TierRateWindowTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Two_views_sampling_at_their_own_pace_both_read_the_true_rate()
    {
        // Given a tier receiving 120 spans/s and sending 80, read by a view every second and by another every 10 s,
        // 3 ms after the first one's reading (the dashboard's resource and the console's status line)
        var window = new TierRateWindow();
        var readings = Enumerable.Range(0, 60).Select(s => Start + TimeSpan.FromSeconds(s))
            .Concat(Enumerable.Range(1, 5).Select(s => Start + TimeSpan.FromSeconds(10 * s) + TimeSpan.FromMilliseconds(3)))
            .Order()
            .ToList();

        // When each reading asks for the rate
        var rates = readings.Select(at =>
        {
            var elapsed = (at - Start).TotalSeconds;
            return (At: at, Rate: window.Add("otel-gateway (deployment)", (long)(120 * elapsed), (long)(80 * elapsed), at));
        }).ToList();

        // Then every rate from the first second on is the true one, within the counters' truncation to whole spans
        // (at most one span over the ≥ 1 s a rate spans), whichever view asked
        Assert.All(rates.Where(r => r.At - Start >= TierRateWindow.MinimumSpan), r =>
        {
            Assert.InRange(r.Rate.Received, 119, 121);
            Assert.InRange(r.Rate.Sent, 79, 81);
        });
        Assert.All(rates.Where(r => r.At - Start < TierRateWindow.MinimumSpan), r => Assert.Equal((0d, 0d), r.Rate));
    }

    [Fact]
    public void A_rate_covers_the_window_so_a_stop_shows_within_it_and_tiers_are_apart()
    {
        // Given a tier that received 100 spans/s for 20 s and then nothing, read every second, and a second tier idle
        var window = new TierRateWindow();
        var rates = new List<(double Seconds, double Rate)>();
        for (var s = 0; s <= 30; s++)
        {
            var at = Start + TimeSpan.FromSeconds(s);
            rates.Add((s, window.Add("agent", 100L * Math.Min(s, 20), 0, at).Received));
            Assert.Equal((0d, 0d), window.Add("idle", 0, 0, at));
        }

        // Then the rate is 100 until the stop, falls over the 5 s window after it, and is 0 once the window holds only the stop
        Assert.All(rates.Where(r => r.Seconds is >= 1 and <= 20), r => Assert.Equal(100, r.Rate, 6));
        Assert.Equal(80, rates.Single(r => r.Seconds == 21).Rate, 6);
        Assert.All(rates.Where(r => r.Seconds >= 25), r => Assert.Equal(0, r.Rate, 6));
    }
}
