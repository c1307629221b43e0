namespace OtelLab.Model.Time.Internal;

/// <summary>
/// Every timer of one lab clock in one heap ordered by lab due time, behind one wall-clock timer armed for the
/// earliest. A lab at 9,000 targets holds about as many timers; as wall timers each, every arm and every firing walks
/// the runtime's timer list (about 4 % of the lab's CPU at 300 scrapes/s), while here an arm is a heap push and a scale
/// change re-arms one wall timer instead of all.
/// </summary>
/// <remarks>
/// A changed or disposed timer leaves its old heap entry behind, marked stale by the timer's version; stale entries
/// are dropped when they reach the top, and the heap is rebuilt without them when they outnumber the live ones. Due
/// timers fire as the runtime's TimerQueue fires them (dotnet/runtime, Timer.cs, FireNextTimers): the first on the
/// thread the wall timer fired on, the others queued to the thread pool, so a slow callback does not hold the rest.
/// </remarks>
internal sealed class LabTimerQueue(LabClock clock)
{
    /// <summary>The heap is rebuilt when stale entries are more than this and more than the live ones.</summary>
    private const int CompactAbove = 1024;

    private readonly PriorityQueue<Entry, long> _heap = new();
    private readonly Lock _lock = new();
    private ITimer? _wall;
    private long _wallDue = long.MaxValue;
    private int _armed;
    private int _stale;

    /// <summary>Timers waiting to fire.</summary>
    public int Armed => Volatile.Read(ref _armed);

    public bool Change(LabTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        lock (_lock)
        {
            if (timer.Disposed)
            {
                return false;
            }

            var wasArmed = Unschedule(timer);

            // Timer semantics: a zero or infinite period means one-shot.
            timer.PeriodLab = period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero ? 0 : period.Ticks;
            if (dueTime == Timeout.InfiniteTimeSpan)
            {
                if (wasArmed)
                {
                    _armed--;
                    Tidy();
                }

                return true;
            }

            if (!wasArmed)
            {
                _armed++;
            }

            Schedule(timer, clock.LabTicks() + dueTime.Ticks);
            Tidy();
            return true;
        }
    }

    public void Dispose(LabTimer timer)
    {
        lock (_lock)
        {
            if (timer.Disposed)
            {
                return;
            }

            timer.Disposed = true;
            if (Unschedule(timer))
            {
                _armed--;
                Tidy();
            }
        }
    }

    /// <summary>Arms the wall timer again for the earliest due time at the clock's (new) scale.</summary>
    public void Rearm()
    {
        lock (_lock)
        {
            if (_heap.TryPeek(out _, out var due))
            {
                ArmWall(due);
            }
        }
    }

    private void Fire()
    {
        LabTimer? first = null;
        lock (_lock)
        {
            _wallDue = long.MaxValue;
            var now = clock.LabTicks();
            while (_heap.TryPeek(out var entry, out var due))
            {
                if (entry.Version != entry.Timer.Version)
                {
                    _heap.Dequeue();
                    _stale--;
                    continue;
                }

                if (due > now)
                {
                    // The wall timer rounds to its own resolution; an early wake waits out the rest.
                    ArmWall(due);
                    break;
                }

                _heap.Dequeue();
                var timer = entry.Timer;
                clock.RecordLateness(now - due);
                if (timer.PeriodLab > 0)
                {
                    // System.Threading.Timer schedules the next firing one period after this one fires.
                    timer.DueLab = now + timer.PeriodLab;
                    _heap.Enqueue(entry, timer.DueLab);
                }
                else
                {
                    timer.DueLab = LabTimer.None;
                    _armed--;
                }

                if (first is null)
                {
                    first = timer;
                }
                else
                {
                    ThreadPool.UnsafeQueueUserWorkItem(timer, preferLocal: false);
                }
            }
        }

        first?.Execute();
    }

    /// <summary>Marks the timer's heap entry stale; true when it was armed.</summary>
    private bool Unschedule(LabTimer timer)
    {
        timer.Version++;
        if (timer.DueLab == LabTimer.None)
        {
            return false;
        }

        timer.DueLab = LabTimer.None;
        _stale++;
        return true;
    }

    /// <summary>
    /// Drops stale entries from the top, rebuilds the heap when they outnumber the live ones, and lets the wall timer go
    /// when no timer is armed: a stale entry holds its timer's callback, and a clock whose timers are all disposed (a
    /// stopped lab) is then referenced by nothing the runtime's timer list holds.
    /// </summary>
    private void Tidy()
    {
        if (_armed == 0)
        {
            _heap.Clear();
            _stale = 0;
            if (_wallDue != long.MaxValue)
            {
                _wallDue = long.MaxValue;
                _wall!.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            }

            return;
        }

        while (_heap.TryPeek(out var entry, out _) && entry.Version != entry.Timer.Version)
        {
            _heap.Dequeue();
            _stale--;
        }

        if (_stale > CompactAbove && _stale > _heap.Count - _stale)
        {
            Compact();
        }
    }

    private void Schedule(LabTimer timer, long dueLab)
    {
        timer.DueLab = dueLab;
        _heap.Enqueue(new Entry(timer, timer.Version), dueLab);
        if (dueLab < _wallDue)
        {
            ArmWall(dueLab);
        }
    }

    private void Compact()
    {
        var live = new List<(Entry, long)>(_heap.Count - _stale);
        foreach (var (entry, due) in _heap.UnorderedItems)
        {
            if (entry.Version == entry.Timer.Version)
            {
                live.Add((entry, due));
            }
        }

        _heap.Clear();
        _heap.EnqueueRange(live);
        _stale = 0;
    }

    private void ArmWall(long dueLab)
    {
        _wallDue = dueLab;
        var delay = clock.WallDelayUntil(dueLab);
        if (_wall is null)
        {
            // The wall timer is the queue's own: no caller's execution context flows into it (each lab timer carries
            // the context it was created in).
            using (ExecutionContext.SuppressFlow())
            {
                _wall = clock.Real.CreateTimer(static s => ((LabTimerQueue)s!).Fire(), this, delay, Timeout.InfiniteTimeSpan);
            }
        }
        else
        {
            _wall.Change(delay, Timeout.InfiniteTimeSpan);
        }
    }

    private readonly record struct Entry(LabTimer Timer, long Version);
}
