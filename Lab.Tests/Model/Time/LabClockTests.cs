using OtelLab.Model.Time;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Model.Time;

[Trait("Category", "Unit")]
public sealed class LabClockTests
{
    [Fact]
    public void Lab_time_runs_scale_times_faster_than_the_wall_clock()
    {
        var wall = new ManualTimeProvider();
        var clock = new LabClock(10, wall);
        var start = clock.GetUtcNow();
        var stamp = clock.GetTimestamp();

        wall.Advance(TimeSpan.FromSeconds(1.5));

        Assert.Equal(TimeSpan.FromSeconds(15), clock.GetUtcNow() - start);
        Assert.Equal(TimeSpan.FromSeconds(15), clock.GetElapsedTime(stamp));
        Assert.Equal(TimeSpan.FromSeconds(15), clock.Elapsed);
    }

    [Fact]
    public void A_lab_instant_maps_back_to_the_wall_instant_it_was_read_at()
    {
        var wall = new ManualTimeProvider();
        var clock = new LabClock(10, wall);
        wall.Advance(TimeSpan.FromSeconds(2));
        var labThen = clock.GetUtcNow();
        var wallThen = wall.GetUtcNow();

        wall.Advance(TimeSpan.FromSeconds(3));

        Assert.Equal(wallThen, clock.ToWallInstant(labThen));
    }

    [Fact]
    public async Task A_ten_second_delay_at_scale_ten_ends_after_one_second_of_wall_time()
    {
        var wall = new ManualTimeProvider();
        var clock = new LabClock(10, wall);

        var delay = Task.Delay(TimeSpan.FromSeconds(10), clock, TestContext.Current.CancellationToken);
        wall.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(delay.IsCompleted);

        wall.Advance(TimeSpan.FromMilliseconds(1));
        await delay.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal(0, clock.PendingTimers);
    }

    [Fact]
    public void A_periodic_timer_fires_once_per_lab_period()
    {
        var wall = new ManualTimeProvider();
        var clock = new LabClock(10, wall);
        var fired = 0;
        using var timer = clock.CreateTimer(_ => Interlocked.Increment(ref fired), null, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30));

        // 30 s of wall time at scale 10 is 300 s of lab time: ten 30 s periods.
        for (var i = 0; i < 300; i++)
        {
            wall.Advance(TimeSpan.FromMilliseconds(100));
        }

        Assert.Equal(10, fired);
    }

    [Fact]
    public void Changing_the_scale_keeps_lab_time_continuous_and_re_arms_pending_timers_for_their_remaining_lab_time()
    {
        var wall = new ManualTimeProvider();
        var clock = new LabClock(10, wall);
        var fired = 0;
        using var timer = clock.CreateTimer(_ => Interlocked.Increment(ref fired), null, TimeSpan.FromSeconds(10), Timeout.InfiniteTimeSpan);
        (double Old, double New)? changed = null;
        clock.ScaleChanged += (o, n) => changed = (o, n);

        wall.Advance(TimeSpan.FromMilliseconds(500)); // 5 s of lab time, 5 s left
        var before = clock.GetUtcNow();
        clock.SetScale(1);
        Assert.Equal(before, clock.GetUtcNow());
        Assert.Equal((10d, 1d), changed);

        wall.Advance(TimeSpan.FromSeconds(4.9));
        Assert.Equal(0, fired);
        wall.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(1, fired);
    }

    [Fact]
    public void A_timer_can_be_stopped_changed_and_disposed_as_a_system_timer_can()
    {
        var wall = new ManualTimeProvider();
        var clock = new LabClock(2, wall);
        var fired = 0;
        var timer = clock.CreateTimer(_ => Interlocked.Increment(ref fired), null, TimeSpan.FromSeconds(2), Timeout.InfiniteTimeSpan);

        Assert.True(timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan));
        wall.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(0, fired);
        Assert.Equal(0, clock.PendingTimers);

        Assert.True(timer.Change(TimeSpan.FromSeconds(4), Timeout.InfiniteTimeSpan));
        Assert.Equal(1, clock.PendingTimers);
        wall.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, fired);

        timer.Change(TimeSpan.FromSeconds(4), Timeout.InfiniteTimeSpan);
        timer.Dispose();
        wall.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(1, fired);
        Assert.Equal(0, clock.PendingTimers);
        Assert.False(timer.Change(TimeSpan.Zero, Timeout.InfiniteTimeSpan));
    }

    [Fact]
    public void Thousands_of_timers_fire_once_each_in_lab_due_order_behind_one_wall_timer()
    {
        var wall = new ManualTimeProvider();
        var clock = new LabClock(10, wall);
        const int count = 5_000;
        var fired = new List<int>(count);
        var timers = new List<ITimer>(count);

        // Distinct due times (10 ms of lab time, a millisecond of wall time apart, armed in a shuffled order) so that
        // each firing is the wall timer's only one and runs inline: the order is observable.
        foreach (var i in Enumerable.Range(0, count).OrderBy(i => (i * 7_919) % count))
        {
            timers.Add(clock.CreateTimer(s => fired.Add((int)s!), i, TimeSpan.FromMilliseconds(10 * (1 + i)), Timeout.InfiniteTimeSpan));
        }

        Assert.Equal(count, clock.PendingTimers);
        Assert.Equal(1, wall.PendingTimers);

        wall.Advance(TimeSpan.FromSeconds(6)); // 60 s of lab time

        Assert.Equal(Enumerable.Range(0, count), fired);
        Assert.Equal(0, clock.PendingTimers);
        Assert.Equal(0, wall.PendingTimers);
        timers.ForEach(t => t.Dispose());
    }

    [Fact]
    public void Changed_and_disposed_timers_fire_only_as_last_set_and_a_clock_with_none_armed_holds_no_wall_timer()
    {
        var wall = new ManualTimeProvider();
        var clock = new LabClock(1, wall);
        const int count = 3_000; // well past the point where stale heap entries are compacted
        var fired = new int[count];
        var timers = Enumerable.Range(0, count)
            .Select(i => clock.CreateTimer(s => Interlocked.Increment(ref fired[(int)s!]), i, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan))
            .ToList();

        // Every timer re-armed twice (the first armings go stale); the even ones then disposed, every third stopped.
        for (var round = 2; round <= 3; round++)
        {
            for (var i = 0; i < count; i++)
            {
                Assert.True(timers[i].Change(TimeSpan.FromSeconds(round) + TimeSpan.FromMilliseconds(i), Timeout.InfiniteTimeSpan));
            }
        }

        for (var i = 0; i < count; i++)
        {
            if (i % 2 == 0)
            {
                timers[i].Dispose();
            }
            else if (i % 3 == 0)
            {
                timers[i].Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            }
        }

        var live = Enumerable.Range(0, count).Where(i => i % 2 != 0 && i % 3 != 0).ToArray();
        Assert.Equal(live.Length, clock.PendingTimers);

        wall.Advance(TimeSpan.FromMilliseconds(2_999)); // before the first live timer's last due time (3.001 s)
        Assert.All(fired, f => Assert.Equal(0, f));

        wall.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(live, Enumerable.Range(0, count).Where(i => fired[i] == 1));
        Assert.All(fired, f => Assert.InRange(f, 0, 1));
        Assert.Equal(0, clock.PendingTimers);

        // A periodic timer keeps the wall timer armed; once it is disposed the clock holds none.
        using var periodic = clock.CreateTimer(_ => { }, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        Assert.Equal(1, wall.PendingTimers);
        periodic.Dispose();
        Assert.Equal(0, wall.PendingTimers);
    }

    [Fact]
    public async Task Timers_due_at_the_same_instant_all_fire_the_first_inline_and_the_rest_on_the_thread_pool()
    {
        var wall = new ManualTimeProvider();
        var clock = new LabClock(10, wall);
        const int count = 200;
        var fired = 0;
        var inline = 0;
        var advancing = Environment.CurrentManagedThreadId;
        var timers = Enumerable.Range(0, count).Select(_ => clock.CreateTimer(
            _ =>
            {
                if (Environment.CurrentManagedThreadId == advancing)
                {
                    Interlocked.Increment(ref inline);
                }

                Interlocked.Increment(ref fired);
            },
            null,
            TimeSpan.FromSeconds(5),
            Timeout.InfiniteTimeSpan)).ToList();

        wall.Advance(TimeSpan.FromMilliseconds(500));

        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(Volatile.Read(ref fired) == count), TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken),
            $"{Volatile.Read(ref fired)} of {count} timers fired");
        Assert.True(Volatile.Read(ref inline) >= 1, "the first due timer runs on the thread that the wall timer fired on");
        Assert.Equal(0, clock.PendingTimers);
        timers.ForEach(t => t.Dispose());
    }

    [Fact]
    public void A_timer_runs_its_callback_in_the_execution_context_it_was_created_in_and_may_re_arm_itself_from_it()
    {
        var wall = new ManualTimeProvider();
        var clock = new LabClock(1, wall);
        var flowed = new AsyncLocal<string>();
        var seen = new List<string?>();
        ITimer? timer = null;
        flowed.Value = "created";
        timer = clock.CreateTimer(
            _ =>
            {
                seen.Add(flowed.Value);
                if (seen.Count < 3)
                {
                    timer!.Change(TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
                }
            },
            null,
            TimeSpan.FromSeconds(1),
            Timeout.InfiniteTimeSpan);
        flowed.Value = "advanced";

        wall.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(["created", "created", "created"], seen);
        Assert.Equal(0, clock.PendingTimers);
        timer.Dispose();
    }

    [Fact]
    public void The_wall_timer_is_armed_for_whole_milliseconds_rounded_up_so_that_it_never_wakes_early()
    {
        // The runtime's timers drop a delay's fraction of a millisecond (Timer.cs: (long)dueTime.TotalMilliseconds): a
        // wall timer armed for 0.6 ms would fire at once, find its lab timer not yet due and re-arm, over and over.
        var wall = new WallClock();
        var clock = new LabClock(10, wall);
        var fired = 0;
        using var timer = clock.CreateTimer(_ => Interlocked.Increment(ref fired), null, TimeSpan.FromMilliseconds(6), TimeSpan.FromMilliseconds(25));

        // Due at 6 ms of lab time, 0.6 ms of wall time: armed for 1 ms. Then each next firing is one period (25 ms of lab
        // time, 2.5 ms of wall time) after the last one fired: armed for 3 ms, at 4, 7 and 10 ms of wall time.
        wall.Manual.Advance(TimeSpan.FromMilliseconds(10));

        Assert.Equal(4, fired);
        Assert.Equal([1d, 3, 3, 3, 3], wall.Delays.Select(d => d.TotalMilliseconds));
    }

    [Fact]
    public void Lateness_is_how_long_after_its_due_time_the_wall_timer_fired()
    {
        // A wall clock whose timers fire 200 ms after they are due: a simulator behind its schedule.
        var wall = new WallClock(lag: TimeSpan.FromMilliseconds(200));
        var clock = new LabClock(10, wall);
        var fired = 0;
        using var timer = clock.CreateTimer(_ => Interlocked.Increment(ref fired), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        wall.Manual.Advance(TimeSpan.FromMilliseconds(300)); // due at 100 ms, fires at 300 ms; next due 1.3 s lab → fires at 600 ms
        wall.Manual.Advance(TimeSpan.FromMilliseconds(300));
        var window = clock.TakeLateness();

        Assert.Equal(2, fired);
        Assert.Equal(2, window.Fired);
        Assert.Equal(TimeSpan.FromMilliseconds(200), window.Max);
        Assert.Equal(TimeSpan.FromMilliseconds(200), window.Mean);
        Assert.Equal(0, clock.TakeLateness().Fired);
    }

    [Fact]
    public void A_timeout_keeps_a_wall_time_floor_at_high_scales_and_is_lab_time_otherwise()
    {
        var floor = TimeSpan.FromSeconds(1);

        Assert.Equal(TimeSpan.FromSeconds(10), LabClock.TimeoutOf(new LabClock(10), TimeSpan.FromSeconds(5), floor)); // 0.5 s wall → 1 s wall
        Assert.Equal(TimeSpan.FromSeconds(30), LabClock.TimeoutOf(new LabClock(10), TimeSpan.FromSeconds(30), floor)); // 3 s wall already
        Assert.Equal(TimeSpan.FromSeconds(5), LabClock.TimeoutOf(TimeProvider.System, TimeSpan.FromSeconds(5), floor));
        Assert.Equal(Timeout.InfiniteTimeSpan, LabClock.TimeoutOf(new LabClock(10), Timeout.InfiniteTimeSpan, floor));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_scale_that_is_not_a_positive_finite_number_is_refused_with_what_to_give(double scale)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new LabClock(scale));
        Assert.Contains("greater than 0", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new LabClock(1).SetScale(scale));
    }

    /// <summary>
    /// A manual wall clock whose timers fire <paramref name="lag"/> after they are due (a simulator behind its schedule)
    /// and which records every delay a timer is armed for.
    /// </summary>
    private sealed class WallClock(TimeSpan lag = default) : TimeProvider
    {
        public ManualTimeProvider Manual { get; } = new();

        public List<TimeSpan> Delays { get; } = [];

        public override long TimestampFrequency => Manual.TimestampFrequency;

        public override long GetTimestamp() => Manual.GetTimestamp();

        public override DateTimeOffset GetUtcNow() => Manual.GetUtcNow();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            new WallTimer(this, Manual.CreateTimer(callback, state, Armed(dueTime), Late(period)));

        private TimeSpan Late(TimeSpan span) => span == Timeout.InfiniteTimeSpan ? span : span + lag;

        private TimeSpan Armed(TimeSpan dueTime)
        {
            if (dueTime != Timeout.InfiniteTimeSpan)
            {
                Delays.Add(dueTime);
            }

            return Late(dueTime);
        }

        private sealed class WallTimer(WallClock owner, ITimer inner) : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(owner.Armed(dueTime), owner.Late(period));

            public void Dispose() => inner.Dispose();

            public ValueTask DisposeAsync() => inner.DisposeAsync();
        }
    }
}
