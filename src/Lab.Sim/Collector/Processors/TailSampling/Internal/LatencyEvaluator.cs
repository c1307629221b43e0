using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Sim.Collector.Processors.TailSampling.Internal;

/// <summary>
/// upstream: internal/sampling latency.go. A running window (minStart, maxEnd) over the spans in arrival order,
/// checked after each span — so with an upper bound, a prefix of the trace inside (threshold, upper] samples it
/// even if the whole trace is longer. A 0 timestamp resets the running min/max exactly as upstream's
/// <c>minTime == 0 ||</c> test does.
/// </summary>
internal sealed class LatencyEvaluator(long thresholdMs, long upperThresholdMs) : IPolicyEvaluator
{
    public SamplingDecision Evaluate(TraceId traceId, IReadOnlyList<TraceSpan> spans)
    {
        ulong minTime = 0;
        ulong maxTime = 0;
        return SpanConditions.HasSpan(spans, span =>
        {
            if (minTime == 0 || span.StartTimeUnixNano < minTime)
            {
                minTime = span.StartTimeUnixNano;
            }

            if (maxTime == 0 || span.EndTimeUnixNano > maxTime)
            {
                maxTime = span.EndTimeUnixNano;
            }

            var ms = DurationMilliseconds(maxTime, minTime);
            return upperThresholdMs == 0 ? ms >= thresholdMs : thresholdMs < ms && ms <= upperThresholdMs;
        });
    }

    /// <summary>
    /// <c>maxTime.AsTime().Sub(minTime.AsTime()).Milliseconds()</c>: timestamps become int64 nanoseconds,
    /// <c>Time.Sub</c> saturates at the int64 Duration range, <c>Milliseconds()</c> truncates toward zero.
    /// </summary>
    internal static long DurationMilliseconds(ulong end, ulong start)
    {
        var nanos = (Int128)(long)end - (long)start;
        var saturated = nanos > long.MaxValue ? long.MaxValue : nanos < long.MinValue ? long.MinValue : (long)nanos;
        return saturated / 1_000_000;
    }
}
