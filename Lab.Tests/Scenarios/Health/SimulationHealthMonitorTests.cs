using OtelLab.Model.Time;
using OtelLab.Scenarios.Health;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Scenarios.Health;

[Trait("Category", "Unit")]
public sealed class SimulationHealthMonitorTests
{
    [Fact]
    public async Task Sampled_once_a_wall_second_on_the_clock_it_is_given_and_healthy_within_tolerance()
    {
        // Given a lab at timeScale 10 (lateness limit 10 % of 3 s = 300 ms) whose timers fire 50 ms late
        var wall = new ManualTimeProvider();
        var signals = new ScriptedHealthSignals { Lateness = TimeSpan.FromMilliseconds(50), CpuPerReading = TimeSpan.FromSeconds(1.5), GcPerReading = TimeSpan.FromMilliseconds(100) };
        var monitor = new SimulationHealthMonitor(new LabClock(10, wall), signals, wall: wall);
        using var sampled = new SemaphoreSlim(0);
        monitor.Sampled += _ => sampled.Release();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var loop = monitor.RunAsync(stop.Token);
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(wall.PendingTimers > 0), TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));

        // When five wall seconds pass
        for (var i = 0; i < 5; i++)
        {
            wall.Advance(TimeSpan.FromSeconds(1));
            Assert.True(await sampled.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        }

        await stop.CancelAsync();
        await loop.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        // Then five samples, healthy, with CPU and GC as shares of the wall second
        var summary = monitor.Summary();
        Assert.Equal(5, summary.Samples);
        Assert.False(summary.Degraded);
        Assert.Equal(SimulationHealthState.Healthy, monitor.State);
        Assert.Equal(TimeSpan.FromMilliseconds(50), summary.WorstTimerLateness);
        Assert.Equal(TimeSpan.FromMilliseconds(300), summary.LatenessLimit);
        Assert.Equal(1.5, monitor.Latest!.CoresBusy, 6);
        Assert.Equal(0.1, monitor.Latest.GcPauseShare, 6);
        Assert.Equal(1.5, summary.MeanCoresBusy, 6);
    }

    [Fact]
    public void Behind_once_a_majority_of_the_window_breaches_and_says_by_how_much()
    {
        var wall = new ManualTimeProvider();
        var signals = new ScriptedHealthSignals();
        var monitor = new SimulationHealthMonitor(new LabClock(10, wall), signals, wall: wall);
        var changes = new List<SimulationHealthState>();
        monitor.StateChanged += (_, s) => changes.Add(s.State);

        // Two late seconds out of five: a GC, a compile on the shared machine — not behind
        signals.Lateness = TimeSpan.FromSeconds(2);
        Sample(wall, monitor, 2);
        Assert.Equal(SimulationHealthState.Healthy, monitor.State);

        // The third is a majority of the window
        Sample(wall, monitor, 1);
        Assert.Equal(SimulationHealthState.Behind, monitor.State);
        Assert.Contains("lab timers fired up to 2.0 s late (limit 300 ms)", monitor.Latest!.Breaches);

        // Back on time: behind until the breaches are a minority of the window again
        signals.Lateness = TimeSpan.FromMilliseconds(20);
        Sample(wall, monitor, 2);
        Assert.Equal(SimulationHealthState.Behind, monitor.State);
        Sample(wall, monitor, 1);
        Assert.Equal(SimulationHealthState.Healthy, monitor.State);

        var summary = monitor.Summary();
        Assert.True(summary.Degraded);
        Assert.Equal(3, summary.BehindSamples);
        Assert.Equal(TimeSpan.FromSeconds(2), summary.BehindBy);
        Assert.Equal(TimeSpan.FromSeconds(3), summary.FirstBehindAfter);
        Assert.Equal([SimulationHealthState.Behind, SimulationHealthState.Healthy], changes);
        Assert.StartsWith("behind by 2.0 s for 3 of 6 s", summary.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void Isolated_slow_seconds_never_make_it_behind()
    {
        var wall = new ManualTimeProvider();
        var signals = new ScriptedHealthSignals();
        var monitor = new SimulationHealthMonitor(new LabClock(10, wall), signals, wall: wall);

        for (var i = 0; i < 20; i++)
        {
            signals.Lateness = i % 3 == 0 ? TimeSpan.FromSeconds(5) : TimeSpan.Zero;
            Sample(wall, monitor, 1);
        }

        Assert.False(monitor.Summary().Degraded);
        Assert.Equal(TimeSpan.FromSeconds(5), monitor.Summary().WorstTimerLateness);
    }

    [Theory]
    [InlineData(1, 3000)]
    [InlineData(10, 300)]
    [InlineData(1.6, 1875)]
    [InlineData(1000, 100)]
    public void The_lateness_limit_is_a_tenth_of_the_scaled_scrape_interval_never_under_100_ms(double scale, double limitMs) =>
        Assert.Equal(TimeSpan.FromMilliseconds(limitMs), SimulationHealthTolerance.Default.LatenessLimit(scale));

    [Fact]
    public void The_same_lateness_is_healthy_at_real_time_and_behind_at_timeScale_10()
    {
        var signals = new ScriptedHealthSignals { Lateness = TimeSpan.FromSeconds(2) };
        var slow = new ManualTimeProvider();
        var atOne = new SimulationHealthMonitor(new LabClock(1, slow), signals, wall: slow);
        var fast = new ManualTimeProvider();
        var atTen = new SimulationHealthMonitor(new LabClock(10, fast), signals, wall: fast);

        Sample(slow, atOne, 5);
        Sample(fast, atTen, 5);

        Assert.False(atOne.Summary().Degraded);
        Assert.True(atTen.Summary().Degraded);
    }

    [Fact]
    public void Scrapes_waiting_for_a_slot_and_a_starved_thread_pool_are_breaches_too()
    {
        var wall = new ManualTimeProvider();
        var signals = new ScriptedHealthSignals { ScrapeWait = TimeSpan.FromMilliseconds(400), ProbeDelay = TimeSpan.FromMilliseconds(900) };
        var monitor = new SimulationHealthMonitor(new LabClock(10, wall), signals, wall: wall);

        Sample(wall, monitor, 3);

        Assert.Equal(SimulationHealthState.Behind, monitor.State);
        Assert.Equal(2, monitor.Latest!.Breaches.Count);
        Assert.Contains(monitor.Latest.Breaches, b => b.StartsWith("scrapes waited 400 ms for a slot on average (limit 250 ms)", StringComparison.Ordinal));
        Assert.Contains(monitor.Latest.Breaches, b => b.StartsWith("thread-pool work waited 900 ms to run (limit 300 ms", StringComparison.Ordinal));
        Assert.Equal(TimeSpan.FromMilliseconds(900), monitor.Summary().BehindBy);
    }

    [Fact]
    public void Waits_in_an_exporters_queue_are_shown_but_not_judged_a_slow_backend_fills_them_too()
    {
        var wall = new ManualTimeProvider();
        var signals = new ScriptedHealthSignals { ExportWait = TimeSpan.FromSeconds(5) };
        var monitor = new SimulationHealthMonitor(new LabClock(10, wall), signals, wall: wall);

        Sample(wall, monitor, 5);

        Assert.Equal(TimeSpan.FromSeconds(5), monitor.Latest!.ExportQueueWaitMean);
        Assert.Empty(monitor.Latest.Breaches);
        Assert.False(monitor.Summary().Degraded);
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
