using OtelLab.Model.Time;
using OtelLab.Scenarios.Health;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Scenarios.Health;

[Trait("Category", "Unit")]
public sealed class TimeScaleControllerTests
{
    [Fact]
    public void Halves_the_time_scale_when_behind_and_waits_a_window_at_the_new_scale_before_judging_again()
    {
        var wall = new ManualTimeProvider();
        var clock = new LabClock(10, wall);
        var signals = new ScriptedHealthSignals { Lateness = TimeSpan.FromSeconds(2) };
        var monitor = new SimulationHealthMonitor(clock, signals, wall: wall);
        using var controller = new TimeScaleController(clock, monitor, forced: false);
        var said = new List<string>();
        controller.Said += said.Add;

        Sample(wall, monitor, 3);
        Assert.Equal(5, clock.Scale);
        Assert.Contains("lowering timeScale 10 → 5 (scrapes every 6 s)", said.Single(), StringComparison.Ordinal);

        // Still behind right after the change: the window has not seen the new scale yet
        Sample(wall, monitor, 4);
        Assert.Equal(5, clock.Scale);

        Sample(wall, monitor, 1);
        Assert.Equal(2.5, clock.Scale);
        Assert.Equal([(10d, 5d), (5d, 2.5d)], controller.Changes.Select(c => (c.From, c.To)));
    }

    [Fact]
    public void Being_behind_while_the_lab_starts_does_not_lower_the_scale_and_a_full_window_after_start_up_does()
    {
        // Given a lab behind from its first sample, whose start-up ends after 10 samples
        var wall = new ManualTimeProvider();
        var clock = new LabClock(10, wall);
        var monitor = new SimulationHealthMonitor(clock, new ScriptedHealthSignals { Lateness = TimeSpan.FromSeconds(2) }, wall: wall);
        var startedUp = false;
        using var controller = new TimeScaleController(clock, monitor, forced: false, () => startedUp);

        // When it is sampled through the start-up: the scale stays
        Sample(wall, monitor, 10);
        Assert.Equal(10, clock.Scale);

        // Then once started, still behind, it waits one full window of its own and halves
        startedUp = true;
        Sample(wall, monitor, monitor.Tolerance.Window - 1);
        Assert.Equal(10, clock.Scale);
        Sample(wall, monitor, 1);
        Assert.Equal(5, clock.Scale);
    }

    [Fact]
    public void A_start_up_that_never_ends_is_waited_for_a_bounded_number_of_samples()
    {
        var wall = new ManualTimeProvider();
        var clock = new LabClock(10, wall);
        var monitor = new SimulationHealthMonitor(clock, new ScriptedHealthSignals { Lateness = TimeSpan.FromSeconds(2) }, wall: wall);
        using var controller = new TimeScaleController(clock, monitor, forced: false, () => false);

        Sample(wall, monitor, TimeScaleController.StartupSamplesAtMost);
        Assert.Equal(10, clock.Scale);
        Sample(wall, monitor, monitor.Tolerance.Window + 1);
        Assert.Equal(5, clock.Scale);
    }

    [Fact]
    public void Lowering_on_a_window_behind_while_the_latest_sample_is_not_says_the_last_breach()
    {
        // Given three late samples and then two on time: the 3-of-5 window is behind at the fifth, which breached nothing
        var wall = new ManualTimeProvider();
        var clock = new LabClock(10, wall);
        var signals = new ScriptedHealthSignals { Lateness = TimeSpan.FromSeconds(2) };
        var monitor = new SimulationHealthMonitor(clock, signals, wall: wall);
        var startedUp = false;
        using var controller = new TimeScaleController(clock, monitor, forced: false, () => startedUp);
        var said = new List<string>();
        controller.Said += said.Add;
        Sample(wall, monitor, 1);
        startedUp = true;
        Sample(wall, monitor, 3);
        signals.Lateness = TimeSpan.Zero;
        Sample(wall, monitor, 2);

        // Then the scale is halved, and the line names the lateness that made the window behind, not "()"
        Assert.Equal(5, clock.Scale);
        var line = Assert.Single(said);
        Assert.DoesNotContain("()", line, StringComparison.Ordinal);
        Assert.Contains("lab timers fired up to 2.0 s late", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_forced_scale_is_kept_and_the_lab_says_once_that_it_is_behind()
    {
        var wall = new ManualTimeProvider();
        var clock = new LabClock(10, wall);
        var monitor = new SimulationHealthMonitor(clock, new ScriptedHealthSignals { Lateness = TimeSpan.FromSeconds(2) }, wall: wall);
        using var controller = new TimeScaleController(clock, monitor, forced: true);
        var said = new List<string>();
        controller.Said += said.Add;

        Sample(wall, monitor, 20);

        Assert.Equal(10, clock.Scale);
        Assert.Empty(controller.Changes);
        Assert.Contains("timeScale 10 is forced (--time-scale), so it stays", said.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public void Never_below_the_slowest_scale()
    {
        var wall = new ManualTimeProvider();
        var clock = new LabClock(0.15, wall);
        var monitor = new SimulationHealthMonitor(clock, new ScriptedHealthSignals { Lateness = TimeSpan.FromSeconds(60) }, wall: wall);
        using var controller = new TimeScaleController(clock, monitor, forced: false);

        Sample(wall, monitor, 30);

        Assert.Equal(TimeScaleController.Slowest, clock.Scale);
    }

    private static void Sample(ManualTimeProvider wall, SimulationHealthMonitor monitor, int seconds)
    {
        for (var i = 0; i < seconds; i++)
        {
            wall.Advance(TimeSpan.FromSeconds(1));
            monitor.Sample();
        }
    }
}
