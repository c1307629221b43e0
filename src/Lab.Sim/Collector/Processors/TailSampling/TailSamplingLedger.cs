using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Sim.Collector.Processors.TailSampling;

/// <summary>
/// Span accounting of one tail_sampling processor: spans per <see cref="TraceOutcome"/>, and (optionally) the last
/// outcome of each trace id, so a scenario can tell sampled-out traces from traces lost to eviction.
/// Invariant: <c>Received == Kept + SampledOut + DroppedByPolicy + DroppedTooEarly + Pending</c>.
/// </summary>
public sealed class TailSamplingLedger(bool keepPerTrace = false)
{
    private readonly long[] _spans = new long[Enum.GetValues<TraceOutcome>().Length];
    private readonly Dictionary<TraceId, TraceOutcome> _perTrace = [];
    private readonly Lock _lock = new();
    private long _received;

    public long Received => Interlocked.Read(ref _received);

    /// <summary>Spans received and not yet accounted for (buffered, waiting for their decision).</summary>
    public long Pending
    {
        get
        {
            lock (_lock)
            {
                return Received - _spans.Sum();
            }
        }
    }

    public long SpansWith(TraceOutcome outcome)
    {
        lock (_lock)
        {
            return _spans[(int)outcome];
        }
    }

    /// <summary>The last recorded outcome of a trace (only when constructed with <c>keepPerTrace</c>).</summary>
    public TraceOutcome? OutcomeOf(TraceId traceId)
    {
        lock (_lock)
        {
            return _perTrace.TryGetValue(traceId, out var o) ? o : null;
        }
    }

    /// <summary>Trace ids whose last outcome is <paramref name="outcome"/> (only with <c>keepPerTrace</c>).</summary>
    public IReadOnlyList<TraceId> TracesWith(TraceOutcome outcome)
    {
        lock (_lock)
        {
            return [.. _perTrace.Where(kv => kv.Value == outcome).Select(kv => kv.Key)];
        }
    }

    internal void Receive(long spans) => Interlocked.Add(ref _received, spans);

    internal void Record(TraceId traceId, TraceOutcome outcome, long spans)
    {
        lock (_lock)
        {
            _spans[(int)outcome] += spans;
            if (keepPerTrace)
            {
                _perTrace[traceId] = outcome;
            }
        }
    }
}
