namespace OtelLab.Model.Time.Internal;

/// <summary>
/// A timer on the lab clock: it keeps its due time in lab time and arms a one-shot wall-clock timer for the wall time
/// that remains at the clock's current scale, re-arming when the scale changes.
/// </summary>
internal sealed class LabTimer(LabClock clock, TimerCallback callback, object? state) : ITimer
{
    private const long None = -1;
    private readonly Lock _lock = new();
    private ITimer? _wall;
    private long _dueLab = None;
    private long _periodLab;
    private bool _disposed;

    public bool Change(TimeSpan dueTime, TimeSpan period)
    {
        Check(dueTime, nameof(dueTime));
        Check(period, nameof(period));
        lock (_lock)
        {
            if (_disposed)
            {
                return false;
            }

            // Timer semantics: a zero or infinite period means one-shot.
            _periodLab = period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero ? 0 : period.Ticks;
            if (dueTime == Timeout.InfiniteTimeSpan)
            {
                _dueLab = None;
                _wall?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                clock.Disarmed(this);
                return true;
            }

            _dueLab = clock.LabTicks() + dueTime.Ticks;
            ArmLocked();
            return true;
        }
    }

    /// <summary>Arms the wall timer again for the remaining lab time at the clock's (new) scale.</summary>
    public void Rearm()
    {
        lock (_lock)
        {
            if (!_disposed && _dueLab != None)
            {
                ArmLocked();
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _dueLab = None;
            _wall?.Dispose();
            _wall = null;
        }

        clock.Disarmed(this);
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private void ArmLocked()
    {
        var delay = clock.WallDelayUntil(_dueLab);
        if (_wall is null)
        {
            _wall = clock.Real.CreateTimer(static s => ((LabTimer)s!).Fire(), this, delay, Timeout.InfiniteTimeSpan);
        }
        else
        {
            _wall.Change(delay, Timeout.InfiniteTimeSpan);
        }

        clock.Armed(this);
    }

    private void Fire()
    {
        lock (_lock)
        {
            if (_disposed || _dueLab == None)
            {
                return;
            }

            var now = clock.LabTicks();
            if (now < _dueLab)
            {
                // The wall timer rounds to its own resolution; an early wake waits out the rest.
                ArmLocked();
                return;
            }

            clock.RecordLateness(now - _dueLab);
            if (_periodLab > 0)
            {
                // System.Threading.Timer schedules the next firing one period after this one fires.
                _dueLab = now + _periodLab;
                ArmLocked();
            }
            else
            {
                _dueLab = None;
                clock.Disarmed(this);
            }
        }

        callback(state);
    }

    private static void Check(TimeSpan value, string name)
    {
        if (value < TimeSpan.Zero && value != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(name, value, "a timer's due time and period must be zero or positive, or Timeout.InfiniteTimeSpan");
        }
    }
}
