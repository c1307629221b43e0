using OtelLab.Model.Time;
using OtelLab.Scenarios.Health;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Scenarios.Health;

[Trait("Category", "Unit")]
public sealed class StartupTransientTests
{
    [Fact]
    public void The_transient_lasts_until_the_first_scrape_round_after_the_workloads_are_Ready()
    {
        // Given a lab at timeScale 10 whose workloads are not Ready yet
        var wall = new ManualTimeProvider();
        var clock = new LabClock(10, wall);
        var (ready, round) = (false, false);
        var transient = new StartupTransient(() => ready, () => round, clock, wall);

        // Then the transient goes on while the pods start, and while the first round runs after them
        Assert.False(transient.IsOver());
        wall.Advance(TimeSpan.FromSeconds(30));
        Assert.False(transient.IsOver());
        ready = true;
        Assert.False(transient.IsOver());
        wall.Advance(TimeSpan.FromSeconds(3));
        Assert.False(transient.IsOver());

        // and ends with the round
        round = true;
        Assert.True(transient.IsOver());
    }

    [Fact]
    public void A_first_round_that_does_not_complete_is_waited_for_two_scaled_intervals_from_Ready()
    {
        // Given a lab at timeScale 10 (30 s intervals every 3 s of wall time) Ready, its first round never completing
        var wall = new ManualTimeProvider();
        var clock = new LabClock(10, wall);
        var ready = false;
        var transient = new StartupTransient(() => ready, () => false, clock, wall);
        wall.Advance(TimeSpan.FromSeconds(20));
        Assert.False(transient.IsOver());
        ready = true;

        // Then the transient ends two intervals (6 s of wall time) after Ready was first seen, not counting the pods' start
        Assert.False(transient.IsOver());
        wall.Advance(TimeSpan.FromSeconds(5.9));
        Assert.False(transient.IsOver());
        wall.Advance(TimeSpan.FromSeconds(0.1));
        Assert.True(transient.IsOver());
    }
}
