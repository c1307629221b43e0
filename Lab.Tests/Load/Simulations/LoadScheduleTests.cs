using OtelLab.Load.Simulations;

namespace OtelLab.Tests.Load.Simulations;

/// <summary>The arithmetic of NBomber's load simulations, apart from any clock.</summary>
[Trait("Category", "Unit")]
public sealed class LoadScheduleTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public void Inject_starts_rate_invocations_every_interval_for_the_phase()
    {
        var ticks = LoadSchedule.Ticks(new InjectSimulation { Rate = 10, Interval = TimeSpan.FromMilliseconds(500), During = TimeSpan.FromSeconds(3) }, previousRate: 0);

        Assert.Equal(6, ticks.Count);
        Assert.All(ticks, t => Assert.Equal(10, t.Invocations));
        Assert.Equal(TimeSpan.FromMilliseconds(2500), ticks[^1].At);
    }

    [Fact]
    public void RampingInject_moves_linearly_from_the_previous_rate_and_reaches_the_target_at_the_last_interval()
    {
        var up = LoadSchedule.Ticks(new RampingInjectSimulation { Rate = 10, Interval = Second, During = TimeSpan.FromSeconds(5) }, previousRate: 0);
        var down = LoadSchedule.Ticks(new RampingInjectSimulation { Rate = 2, Interval = Second, During = TimeSpan.FromSeconds(4) }, previousRate: 10);

        Assert.Equal([2, 4, 6, 8, 10], up.Select(t => t.Invocations));
        Assert.Equal([8, 6, 4, 2], down.Select(t => t.Invocations));
    }

    [Fact]
    public void A_fractional_rate_carries_its_fraction_so_nothing_is_lost()
    {
        var ticks = LoadSchedule.Ticks(new InjectSimulation { Rate = 2.5, Interval = Second, During = TimeSpan.FromSeconds(10) }, previousRate: 0);

        Assert.Equal(25, ticks.Sum(t => t.Invocations));
        Assert.All(ticks, t => Assert.InRange(t.Invocations, 2, 3));
    }

    [Fact]
    public void RampingConstant_moves_copies_from_the_previous_count_and_KeepConstant_holds_them()
    {
        var ramp = new RampingConstantSimulation { Copies = 8, During = TimeSpan.FromSeconds(4) };

        Assert.Equal([2, 4, 6, 8], Enumerable.Range(1, 4).Select(s => LoadSchedule.CopiesAt(ramp, 0, TimeSpan.FromSeconds(s))));
        Assert.Equal(6, LoadSchedule.CopiesAt(ramp, 4, TimeSpan.FromSeconds(2)));
        Assert.Equal(3, LoadSchedule.CopiesAt(new KeepConstantSimulation { Copies = 3, During = Second }, 8, TimeSpan.Zero));
    }

    [Fact]
    public void A_pause_resets_the_rate_a_following_ramp_starts_from()
    {
        IReadOnlyList<LoadSimulation> plan =
        [
            new InjectSimulation { Rate = 10, During = TimeSpan.FromSeconds(2) },
            new PauseSimulation { During = TimeSpan.FromSeconds(3) },
            new RampingInjectSimulation { Rate = 4, During = TimeSpan.FromSeconds(2) },
        ];

        // 10 + 10, nothing, then 0 → 4 in two intervals: 2 + 4
        Assert.Equal(26, LoadSchedule.PlannedInjections(plan));
    }
}
