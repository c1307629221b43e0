namespace OtelLab.Model.Time.Internal;

/// <summary>A lock-free accumulator of timer lateness: every firing records into it, a monitor takes a window.</summary>
internal sealed class TimerLateness
{
    private long _fired;
    private long _total;
    private long _max;

    public void Record(long ticksLate)
    {
        Interlocked.Increment(ref _fired);
        Interlocked.Add(ref _total, ticksLate);
        var max = Volatile.Read(ref _max);
        while (ticksLate > max)
        {
            var seen = Interlocked.CompareExchange(ref _max, ticksLate, max);
            if (seen == max)
            {
                break;
            }

            max = seen;
        }
    }

    public TimerLatenessWindow Take() => new(
        Interlocked.Exchange(ref _fired, 0),
        TimeSpan.FromTicks(Interlocked.Exchange(ref _total, 0)),
        TimeSpan.FromTicks(Interlocked.Exchange(ref _max, 0)));
}
