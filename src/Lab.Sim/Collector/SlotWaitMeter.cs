using System.Diagnostics;

namespace OtelLab.Sim.Collector;

/// <summary>
/// How long work waited for a slot in one of the process-wide queues the simulator shares between every replica (a
/// scrape for one of the scrape slots, an export request in an exporter's sending queue): when the simulator cannot keep
/// up, the waits grow before anything upstream would notice, so the simulation health monitor reads them. Lock-free and
/// allocation-free: a record is three interlocked operations.
/// </summary>
public sealed class SlotWaitMeter
{
    private long _count;
    private long _totalTicks;
    private long _maxTicks;

    /// <summary>Scrapes waiting for one of the in-flight scrape slots every prometheus receiver of the process shares.</summary>
    public static SlotWaitMeter Scrapes { get; } = new();

    /// <summary>Export requests waiting in an exporter's sending queue for a consumer.</summary>
    public static SlotWaitMeter Exports { get; } = new();

    /// <summary>Records one wait.</summary>
    public void Record(TimeSpan wait)
    {
        var ticks = Math.Max(0, wait.Ticks);
        Interlocked.Increment(ref _count);
        Interlocked.Add(ref _totalTicks, ticks);
        var max = Volatile.Read(ref _maxTicks);
        while (ticks > max)
        {
            var seen = Interlocked.CompareExchange(ref _maxTicks, ticks, max);
            if (seen == max)
            {
                break;
            }

            max = seen;
        }
    }

    /// <summary>Records the wait since <paramref name="startedTimestamp"/> (a <see cref="Stopwatch"/> timestamp).</summary>
    public void RecordSince(long startedTimestamp) => Record(Stopwatch.GetElapsedTime(startedTimestamp));

    /// <summary>The waits recorded since the last call; resets the window (figures of a window, not exact under races).</summary>
    public SlotWaitWindow Take() => new(
        Interlocked.Exchange(ref _count, 0), TimeSpan.FromTicks(Interlocked.Exchange(ref _totalTicks, 0)), TimeSpan.FromTicks(Interlocked.Exchange(ref _maxTicks, 0)));
}

/// <summary>Waits for a slot in one window: how many, their total and the longest.</summary>
public readonly record struct SlotWaitWindow(long Count, TimeSpan Total, TimeSpan Max)
{
    /// <summary>The mean wait (zero when nothing waited).</summary>
    public TimeSpan Mean => Count == 0 ? TimeSpan.Zero : TimeSpan.FromTicks(Total.Ticks / Count);
}
