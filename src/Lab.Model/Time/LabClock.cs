using OtelLab.Model.Time.Internal;

namespace OtelLab.Model.Time;

/// <summary>
/// The lab's one clock: every emulated timer (batch timeouts, tail_sampling's decision_wait and tick, exporter
/// retries, the Datadog flush, scrape intervals, the Target Allocator, kubelet back-offs, Vault TTLs, the load's pacing,
/// the checks' waits) reads it, and a scenario's <c>timeScale</c> scales it: at 10, lab time runs ten times faster than
/// the wall clock, so a 10 s <c>decision_wait</c> ends after 1 s of wall time.
/// </summary>
/// <remarks>
/// Lab time is continuous across scale changes: <see cref="SetScale"/> re-anchors the clock at the current instant and
/// re-arms every pending timer for its remaining lab time at the new rate, so a controller that slows the lab mid-run
/// neither jumps the clock nor loses a timer. Timers keep <see cref="Timer"/>'s semantics (a periodic timer's next due
/// time is one period after it fires; callbacks run on the thread pool), and each firing's lateness against its due
/// time is recorded (<see cref="TakeLateness"/>): a timer that fires late is the first sign that the simulator itself
/// is behind its schedule.
/// </remarks>
public sealed class LabClock : TimeProvider
{
    private readonly TimeProvider _real;
    private readonly DateTimeOffset _start;
    private readonly LabTimerQueue _timers;
    private readonly TimerLateness _lateness = new();
    private readonly Lock _lock = new();
    private Anchor _anchor;

    /// <summary>A clock running <paramref name="scale"/> times faster than <paramref name="real"/> (the system clock by default).</summary>
    public LabClock(double scale = 1, TimeProvider? real = null)
    {
        Validate(scale);
        _real = real ?? System;
        _start = _real.GetUtcNow();
        _anchor = new Anchor(_real.GetTimestamp(), 0, scale, _real.TimestampFrequency);
        _timers = new LabTimerQueue(this);
    }

    /// <summary>How many lab seconds pass per wall-clock second.</summary>
    public double Scale => Volatile.Read(ref _anchor).Scale;

    /// <summary>The wall clock underneath (what real processes and real sockets live in).</summary>
    public TimeProvider Real => _real;

    /// <summary>Raised after <see cref="SetScale"/> changed the rate: (old scale, new scale).</summary>
    public event Action<double, double>? ScaleChanged;

    /// <inheritdoc/>
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <inheritdoc/>
    public override long GetTimestamp() => LabTicks();

    /// <inheritdoc/>
    public override DateTimeOffset GetUtcNow() => _start + TimeSpan.FromTicks(LabTicks());

    /// <inheritdoc/>
    public override TimeZoneInfo LocalTimeZone => _real.LocalTimeZone;

    /// <summary>Lab time elapsed since the clock was created.</summary>
    public TimeSpan Elapsed => TimeSpan.FromTicks(LabTicks());

    /// <summary>The wall-clock span that <paramref name="labTime"/> takes at the current scale.</summary>
    public TimeSpan ToWallTime(TimeSpan labTime) => labTime == Timeout.InfiniteTimeSpan
        ? labTime
        : TimeSpan.FromTicks((long)Math.Ceiling(labTime.Ticks / Scale));

    /// <summary>
    /// The wall-clock instant at which the lab clock read <paramref name="labInstant"/> (at the current scale): what a
    /// person looking at a live view means by "when", since lab time runs ahead of the wall clock.
    /// </summary>
    public DateTimeOffset ToWallInstant(DateTimeOffset labInstant) => _real.GetUtcNow() - ToWallTime(GetUtcNow() - labInstant);

    /// <summary>The lab-time span that <paramref name="wallTime"/> of the wall clock covers at the current scale.</summary>
    public TimeSpan ToLabTime(TimeSpan wallTime) => TimeSpan.FromTicks((long)(wallTime.Ticks * Scale));

    /// <summary>
    /// A timeout of <paramref name="labTime"/> that is never shorter than <paramref name="wallFloor"/> of wall time: a
    /// timeout bounds real work on real sockets, which a faster lab clock does not make faster, so at a high scale the
    /// lab keeps a wall-time floor rather than time out work a real collector would have completed.
    /// </summary>
    public static TimeSpan TimeoutOf(TimeProvider time, TimeSpan labTime, TimeSpan wallFloor)
    {
        ArgumentNullException.ThrowIfNull(time);
        if (time is not LabClock clock || labTime == global::System.Threading.Timeout.InfiniteTimeSpan)
        {
            return labTime;
        }

        var floor = clock.ToLabTime(wallFloor);
        return labTime < floor ? floor : labTime;
    }

    /// <summary>
    /// Changes the rate from now on. Lab time does not jump, and pending timers fire when their remaining lab time
    /// has passed at the new rate.
    /// </summary>
    public void SetScale(double scale)
    {
        Validate(scale);
        double old;
        lock (_lock)
        {
            old = _anchor.Scale;
            if (old.Equals(scale))
            {
                return;
            }

            var realNow = _real.GetTimestamp();
            Volatile.Write(ref _anchor, new Anchor(realNow, _anchor.LabTicksAt(realNow), scale, _real.TimestampFrequency));
        }

        _timers.Rearm();

        ScaleChanged?.Invoke(old, scale);
    }

    /// <summary>How late, in wall time, the timers that fired since the last call were against their due time; resets the window.</summary>
    public TimerLatenessWindow TakeLateness() => _lateness.Take();

    /// <inheritdoc/>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new LabTimer(_timers, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    internal long LabTicks() => Volatile.Read(ref _anchor).LabTicksAt(_real.GetTimestamp());

    /// <summary>
    /// The wall-clock delay until lab instant <paramref name="dueLabTicks"/> at the current scale (zero when past),
    /// rounded up to whole milliseconds.
    /// </summary>
    /// <remarks>
    /// Unrounded (see <see cref="TimerResolution"/>), a timer due in under a millisecond woke, found itself early and
    /// re-armed for nothing until its time came — thousands of wakes a second at 300 scrapes/s.
    /// </remarks>
    internal TimeSpan WallDelayUntil(long dueLabTicks)
    {
        var anchor = Volatile.Read(ref _anchor);
        return TimerResolution.RoundUp((dueLabTicks - anchor.LabTicksAt(_real.GetTimestamp())) / anchor.Scale);
    }

    internal void RecordLateness(long labTicksLate)
    {
        var scale = Scale;
        _lateness.Record(labTicksLate <= 0 ? 0 : (long)(labTicksLate / scale));
    }

    /// <summary>Timers waiting to fire (for tests and the health view).</summary>
    public int PendingTimers => _timers.Armed;

    private static void Validate(double scale)
    {
        if (!(scale > 0) || double.IsInfinity(scale))
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "a lab clock's scale must be a finite number greater than 0 (1 is real time; 10 runs 30 s intervals in 3 s)");
        }
    }

    /// <summary>Lab time at a wall-clock instant: <c>LabTicks + (real - Real) × ticks per real tick</c>.</summary>
    private sealed record Anchor(long Real, long LabTicks, double Scale, long RealFrequency)
    {
        private readonly double _labTicksPerRealTick = Scale * TimeSpan.TicksPerSecond / RealFrequency;

        public long LabTicksAt(long realTimestamp) => LabTicks + (long)((realTimestamp - Real) * _labTicksPerRealTick);
    }
}
