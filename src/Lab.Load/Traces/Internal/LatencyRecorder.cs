using HdrHistogram;

namespace OtelLab.Load.Traces.Internal;

/// <summary>A thread-safe HdrHistogram of durations in microseconds (1 µs to 1 h, 3 significant digits).</summary>
internal sealed class LatencyRecorder
{
    private readonly LongHistogram _histogram = new(3_600_000_000L, 3);
    private readonly Lock _gate = new();

    public void Record(TimeSpan duration)
    {
        var micros = Math.Clamp((long)duration.TotalMicroseconds, 1, _histogram.HighestTrackableValue);
        lock (_gate)
        {
            _histogram.RecordValue(micros);
        }
    }

    public LatencySummary Summary()
    {
        lock (_gate)
        {
            var n = _histogram.TotalCount;
            return n == 0
                ? new LatencySummary(0, 0, 0, 0)
                : new LatencySummary(n, _histogram.GetValueAtPercentile(50) / 1000.0, _histogram.GetValueAtPercentile(99) / 1000.0, _histogram.GetMaxValue() / 1000.0);
        }
    }
}
