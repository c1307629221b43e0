namespace OtelLab.Model.Time.Internal;

/// <summary>
/// A timer on the lab clock: its due time is kept in lab time in the clock's <see cref="LabTimerQueue"/>, which fires
/// it when the lab clock reaches it at whatever scale the clock runs by then.
/// </summary>
/// <remarks>
/// Its state is the queue's to change, under the queue's lock. Like a timer of <see cref="TimeProvider.System"/> it
/// runs its callback in the execution context it was created in, and not at all once disposed.
/// </remarks>
internal sealed class LabTimer(LabTimerQueue queue, TimerCallback callback, object? state) : ITimer, IThreadPoolWorkItem
{
    public const long None = -1;

    private static readonly ContextCallback RunCallback = static s => ((LabTimer)s!).Invoke();

    private readonly ExecutionContext? _context = ExecutionContext.Capture();
    private volatile bool _disposed;

    /// <summary>Lab ticks at which the timer is due, or <see cref="None"/>.</summary>
    public long DueLab { get; set; } = None;

    /// <summary>Lab ticks between firings; 0 for a one-shot timer.</summary>
    public long PeriodLab { get; set; }

    /// <summary>Bumped on every change, so that the heap entry of an earlier arming reads as stale.</summary>
    public long Version { get; set; }

    public bool Disposed
    {
        get => _disposed;
        set => _disposed = value;
    }

    public bool Change(TimeSpan dueTime, TimeSpan period)
    {
        Check(dueTime, nameof(dueTime));
        Check(period, nameof(period));
        return queue.Change(this, dueTime, period);
    }

    public void Dispose() => queue.Dispose(this);

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Runs the callback unless the timer was disposed since it came due.</summary>
    public void Execute()
    {
        if (_disposed)
        {
            return;
        }

        if (_context is null)
        {
            Invoke();
        }
        else
        {
            ExecutionContext.Run(_context, RunCallback, this);
        }
    }

    private void Invoke() => callback(state);

    private static void Check(TimeSpan value, string name)
    {
        if (value < TimeSpan.Zero && value != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(name, value, "a timer's due time and period must be zero or positive, or Timeout.InfiniteTimeSpan");
        }
    }
}
