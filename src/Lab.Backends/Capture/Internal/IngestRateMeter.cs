namespace OtelLab.Backends.Capture.Internal;

/// <summary>Items accepted per second over a sliding window of whole seconds, read through a <see cref="TimeProvider"/>.</summary>
internal sealed class IngestRateMeter(TimeProvider time)
{
    private const int Slots = 64;
    private readonly long[] _second = new long[Slots];
    private readonly long[] _count = new long[Slots];
    private readonly Lock _gate = new();

    public void Add(long items)
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var slot = (int)(now % Slots);
        lock (_gate)
        {
            if (_second[slot] != now)
            {
                _second[slot] = now;
                _count[slot] = 0;
            }

            _count[slot] += items;
        }
    }

    /// <summary>Mean items per second over the last <paramref name="seconds"/> complete seconds (the current one excluded).</summary>
    public double PerSecond(int seconds = 10)
    {
        seconds = Math.Clamp(seconds, 1, Slots - 1);
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        long sum = 0;
        lock (_gate)
        {
            for (var s = now - seconds; s < now; s++)
            {
                var slot = (int)(s % Slots);
                if (_second[slot] == s)
                {
                    sum += _count[slot];
                }
            }
        }

        return (double)sum / seconds;
    }
}
