using System.Collections.Concurrent;
using System.Text;
using OtelLab.Sim.Collector.Metrics;

namespace OtelLab.Sim.Collector.Processors.CumulativeToDelta.Internal;

/// <summary>
/// Per-series state, ported from upstream processor/cumulativetodeltaprocessor/internal/tracking/tracker.go
/// (MetricTracker.Convert, removeStale): the first point of a series only seeds the state (initial_value decides
/// whether it is emitted); a sum that decreases is a reset and is not emitted; a histogram whose count decreases is
/// emitted as is; the emitted start time is the previous point's time; NaN sums are skipped without touching state.
/// </summary>
internal sealed class DeltaTracker(string initialValue, ulong processorStartUnixNano)
{
    private readonly ConcurrentDictionary<string, SeriesState> _states = new(StringComparer.Ordinal);

    public int SeriesCount => _states.Count;

    public MetricPoint? Convert(MetricPoint point)
    {
        if (point.Kind == MetricKind.Sum && double.IsNaN(point.Value))
        {
            return null; // NaN signals a stale series (collector#3423): ignored.
        }

        var id = Identity(point);
        var fresh = new SeriesState(point);
        var state = _states.GetOrAdd(id, fresh);
        if (ReferenceEquals(state, fresh))
        {
            return initialValue switch
            {
                "keep" => point with { Temporality = AggregationTemporality.Delta },
                "drop" => null,
                _ => point.StartTimeUnixNano < processorStartUnixNano || point.TimeUnixNano == point.StartTimeUnixNano
                    ? null
                    : point with { Temporality = AggregationTemporality.Delta },
            };
        }

        lock (state)
        {
            var previous = state.Previous;
            state.Previous = point;
            var start = previous.TimeUnixNano;
            if (point.Kind == MetricKind.Sum)
            {
                return point.Value < previous.Value
                    ? null
                    : point with { Value = point.Value - previous.Value, StartTimeUnixNano = start, Temporality = AggregationTemporality.Delta };
            }

            // Histogram.
            var sum = double.IsNaN(point.Value) ? previous.Value : point.Value;
            if (point.BucketCounts.Count != previous.BucketCounts.Count || !point.ExplicitBounds.SequenceEqual(previous.ExplicitBounds))
            {
                return null; // upstream warns "Points in histogram series have different numbers of buckets/bucket boundaries"
            }

            if (point.Count < previous.Count)
            {
                return point with { Value = sum, StartTimeUnixNano = start, Temporality = AggregationTemporality.Delta };
            }

            var buckets = point.BucketCounts.Select((c, i) => c - previous.BucketCounts[i]).ToList();
            return point with
            {
                Count = point.Count - previous.Count,
                Value = sum - previous.Value,
                BucketCounts = buckets,
                StartTimeUnixNano = start,
                Temporality = AggregationTemporality.Delta,
            };
        }
    }

    /// <summary>Drops series whose last point is older than <paramref name="staleBeforeUnixNano"/> (upstream removeStale).</summary>
    public void RemoveStale(ulong staleBeforeUnixNano)
    {
        foreach (var (key, state) in _states)
        {
            ulong last;
            lock (state)
            {
                last = state.Previous.TimeUnixNano;
            }

            if (last < staleBeforeUnixNano)
            {
                _states.TryRemove(new KeyValuePair<string, SeriesState>(key, state));
            }
        }
    }

    // upstream tracking/identity.go Write: resource, scope, type, monotonic, name, unit, attributes (not start time).
    private static string Identity(MetricPoint p)
    {
        var b = new StringBuilder();
        foreach (var (k, v) in p.Resource.Attributes.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            b.Append(k).Append('=').Append(v).Append('\u001f');
        }

        b.Append('\u001e').Append(p.ScopeName).Append('\u001e').Append(p.Kind).Append(p.IsMonotonic).Append('\u001e')
            .Append(p.Name).Append('\u001e').Append(p.Unit).Append('\u001e');
        foreach (var (k, v) in p.Attributes.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            b.Append(k).Append('=').Append(v).Append('\u001f');
        }

        return b.ToString();
    }

    private sealed class SeriesState(MetricPoint first)
    {
        public MetricPoint Previous { get; set; } = first;
    }
}
