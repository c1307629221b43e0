namespace OtelLab.Scenarios.Monitoring.Internal;

/// <summary>
/// Spans per second of each tier over a window of cumulative counter readings. The monitor is sampled by more than one
/// view (the dashboard's resource every second, the console every 10 s); a rate taken since the previous reading,
/// whoever took it, covered a few milliseconds for the slower view and read 0 or several times the true rate. Here a
/// rate always spans at least <see cref="Window"/> of readings (or all of them early on), whoever asks.
/// </summary>
internal sealed class TierRateWindow
{
    private readonly Dictionary<string, List<Reading>> _readings = new(StringComparer.Ordinal);

    /// <summary>The span a rate covers once readings that old exist.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(5);

    /// <summary>Below this span of readings there is no rate yet (0).</summary>
    public static readonly TimeSpan MinimumSpan = TimeSpan.FromSeconds(1);

    /// <summary>Records a reading and returns the received and sent rates per second over the window ending at it.</summary>
    public (double Received, double Sent) Add(string tier, long received, long sent, DateTimeOffset at)
    {
        if (!_readings.TryGetValue(tier, out var readings))
        {
            _readings[tier] = readings = [];
        }

        readings.Add(new Reading(received, sent, at));
        // Keep one reading at or before the window's start (the rate's base) and everything after it: a handful.
        var start = at - Window;
        while (readings.Count > 1 && readings[1].At <= start)
        {
            readings.RemoveAt(0);
        }

        var base_ = readings[0];
        var span = at - base_.At;
        if (span < MinimumSpan)
        {
            return (0, 0);
        }

        return ((received - base_.Received) / span.TotalSeconds, (sent - base_.Sent) / span.TotalSeconds);
    }

    private readonly record struct Reading(long Received, long Sent, DateTimeOffset At);
}
