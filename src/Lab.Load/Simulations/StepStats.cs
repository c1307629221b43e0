using HdrHistogram;

namespace OtelLab.Load.Simulations;

/// <summary>
/// The running tally of one step (of a whole run or of one phase), as NBomber keeps it: requests ok and failed,
/// latency in an HdrHistogram (1 µs to 1 h, 3 significant digits), bytes moved, status codes, and per-second
/// buckets of lab time for the charts. Thread-safe.
/// </summary>
public sealed class StepStats
{
    private readonly LongHistogram _latency = new(3_600_000_000L, 3);
    private readonly Dictionary<string, long> _statusCodes = new(StringComparer.Ordinal);
    private readonly SortedDictionary<long, TimelineBucket> _timeline = [];
    private readonly Lock _gate = new();
    private long _ok;
    private long _fail;
    private long _bytes;
    private long _minBytes = long.MaxValue;
    private long _maxBytes;

    /// <summary>Records one finished invocation that started <paramref name="startedAt"/> (lab time since the run's start).</summary>
    public void Record(StepResponse response, TimeSpan latency, TimeSpan startedAt)
    {
        var micros = Math.Clamp((long)latency.TotalMicroseconds, 1, _latency.HighestTrackableValue);
        var second = (long)Math.Floor(startedAt.TotalSeconds);
        lock (_gate)
        {
            _latency.RecordValue(micros);
            if (response.IsOk)
            {
                _ok++;
            }
            else
            {
                _fail++;
            }

            _bytes += response.SizeBytes;
            _minBytes = Math.Min(_minBytes, response.SizeBytes);
            _maxBytes = Math.Max(_maxBytes, response.SizeBytes);
            _statusCodes[response.StatusCode] = _statusCodes.GetValueOrDefault(response.StatusCode) + 1;
            var bucket = _timeline.GetValueOrDefault(second);
            _timeline[second] = new TimelineBucket(second, bucket.Ok + (response.IsOk ? 1 : 0), bucket.Fail + (response.IsOk ? 0 : 1), Math.Max(bucket.MaxLatencyMs, latency.TotalMilliseconds), bucket.LatencySumMs + latency.TotalMilliseconds);
        }
    }

    /// <summary>The stats now, with RPS over <paramref name="duration"/> (lab time).</summary>
    public StepStatsSnapshot Snapshot(TimeSpan duration)
    {
        lock (_gate)
        {
            var count = _ok + _fail;
            double Ms(double percentile) => count == 0 ? 0 : _latency.GetValueAtPercentile(percentile) / 1000.0;
            return new StepStatsSnapshot
            {
                Ok = _ok,
                Fail = _fail,
                Rps = duration > TimeSpan.Zero ? count / duration.TotalSeconds : 0,
                Duration = duration,
                MinMs = count == 0 ? 0 : _latency.GetValueAtPercentile(0) / 1000.0,
                MeanMs = count == 0 ? 0 : _latency.GetMean() / 1000.0,
                MaxMs = count == 0 ? 0 : _latency.GetMaxValue() / 1000.0,
                P50Ms = Ms(50),
                P75Ms = Ms(75),
                P95Ms = Ms(95),
                P99Ms = Ms(99),
                StdDevMs = count == 0 ? 0 : _latency.GetStdDeviation() / 1000.0,
                BytesAll = _bytes,
                BytesMin = count == 0 ? 0 : _minBytes,
                BytesMax = _maxBytes,
                StatusCodes = new Dictionary<string, long>(_statusCodes, StringComparer.Ordinal),
                Timeline = [.. _timeline.Values],
            };
        }
    }
}

/// <summary>One lab second of a step: invocations started in it, by outcome, and their latency.</summary>
public readonly record struct TimelineBucket(long Second, long Ok, long Fail, double MaxLatencyMs, double LatencySumMs)
{
    public double MeanLatencyMs => Ok + Fail == 0 ? 0 : LatencySumMs / (Ok + Fail);
}

/// <summary>NBomber's per-step statistics at one instant (latencies in ms; RPS per lab second).</summary>
public sealed record StepStatsSnapshot
{
    public long Ok { get; init; }

    public long Fail { get; init; }

    public long Count => Ok + Fail;

    public double FailRate => Count == 0 ? 0 : Fail / (double)Count;

    public double Rps { get; init; }

    public TimeSpan Duration { get; init; }

    public double MinMs { get; init; }

    public double MeanMs { get; init; }

    public double MaxMs { get; init; }

    public double StdDevMs { get; init; }

    public double P50Ms { get; init; }

    public double P75Ms { get; init; }

    public double P95Ms { get; init; }

    public double P99Ms { get; init; }

    public long BytesAll { get; init; }

    public long BytesMin { get; init; }

    public long BytesMax { get; init; }

    public double BytesMean => Count == 0 ? 0 : BytesAll / (double)Count;

    public IReadOnlyDictionary<string, long> StatusCodes { get; init; } = new Dictionary<string, long>();

    public IReadOnlyList<TimelineBucket> Timeline { get; init; } = [];
}
