namespace OtelLab.Tests.Support;

/// <summary>
/// A clock that moves only when a test calls <see cref="Advance"/>. Timers created on it fire synchronously,
/// in due-time order, during <see cref="Advance"/>.
/// </summary>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly List<ManualTimer> _timers = [];
    private readonly Lock _lock = new();
    private DateTimeOffset _now = start;

    public ManualTimeProvider()
        : this(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _now;
        }
    }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Timers that will fire when the clock reaches their due time (a test waits for a backoff's timer before advancing).</summary>
    public int PendingTimers
    {
        get
        {
            lock (_lock)
            {
                return _timers.Count(t => t.Due is not null);
            }
        }
    }

    /// <summary>
    /// Pending timers that come due at or before <paramref name="instant"/>: proof that the timer an
    /// <see cref="Advance"/> to that instant is meant to fire exists. Code under test often logs a line or publishes a
    /// state just before (or on another thread than) arming its timer, so a test waits on this, not on the log line or
    /// the state, before it moves the clock; an Advance that wins that race leaves the timer due after the advance.
    /// </summary>
    public int PendingTimersDueBy(DateTimeOffset instant)
    {
        lock (_lock)
        {
            return _timers.Count(t => t.Due is { } due && due <= instant);
        }
    }

    /// <summary>
    /// The instant the earliest pending timer comes due (null when none is pending). A test that means to fire one
    /// timer advances exactly to it: advancing further also fires timers that the fired callback arms during the
    /// advance (e.g. the next attempt's timeout), which real time would not have reached before the attempt ended.
    /// </summary>
    public DateTimeOffset? NextTimerDue
    {
        get
        {
            lock (_lock)
            {
                return _timers.Where(t => t.Due is not null).Min(t => t.Due);
            }
        }
    }

    /// <summary>Moves the clock forward, firing every timer that comes due on the way at its due instant.</summary>
    public void Advance(TimeSpan by)
    {
        DateTimeOffset target;
        lock (_lock)
        {
            target = _now + by;
        }

        while (true)
        {
            ManualTimer? next;
            lock (_lock)
            {
                next = _timers.Where(t => t.Due is { } d && d <= target).MinBy(t => t.Due);
                if (next is null)
                {
                    _now = target;
                    return;
                }

                _now = next.Due!.Value;
                next.Due = next.Period > TimeSpan.Zero ? _now + next.Period : null;
            }

            next.Fire();
        }
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset? Due { get; set; }

        public TimeSpan Period { get; private set; }

        public void Fire() => callback(state);

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._lock)
            {
                Period = period == Timeout.InfiniteTimeSpan ? TimeSpan.Zero : period;
                Due = dueTime == Timeout.InfiniteTimeSpan ? null : owner._now + dueTime;
                if (!owner._timers.Contains(this))
                {
                    owner._timers.Add(this);
                }
            }

            return true;
        }

        public void Dispose()
        {
            lock (owner._lock)
            {
                owner._timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
