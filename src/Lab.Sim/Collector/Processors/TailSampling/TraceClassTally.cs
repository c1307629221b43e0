using OtelLab.Sim.Collector.Processors.TailSampling.Internal;
using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Sim.Collector.Processors.TailSampling;

/// <summary>
/// Lab instrumentation, not an upstream metric: counts decided traces and kept traces per <see cref="TraceClass"/>
/// (error / slow / baseline) so the lab can show and check keep rates by class. The slow cut is the processor's own
/// top-level <c>latency</c> policy threshold, measured as upstream's latency policy does (maxEnd − minStart in whole
/// milliseconds, sampled when <c>ms &gt;= threshold_ms</c>; upstream internal/sampling/latency.go); with no latency
/// policy every non-error trace is baseline.
/// </summary>
public sealed class TraceClassTally : ITraceDecisionObserver
{
    private readonly long[] _traces = new long[3];
    private readonly long[] _kept = new long[3];
    private readonly long[] _spans = new long[3];

    /// <param name="slowThresholdMs">The latency threshold (null: no slow class).</param>
    /// <param name="baselinePercentage">The probabilistic policy's <c>sampling_percentage</c> (null: none configured).</param>
    public TraceClassTally(long? slowThresholdMs, double? baselinePercentage = null)
    {
        SlowThresholdMs = slowThresholdMs;
        BaselinePercentage = baselinePercentage;
    }

    public long? SlowThresholdMs { get; }

    /// <summary>What the baseline class is expected to be kept at (the first top-level probabilistic policy), in percent.</summary>
    public double? BaselinePercentage { get; }

    /// <summary>A tally whose slow cut is the config's first top-level latency policy (and baseline its first probabilistic one).</summary>
    public static TraceClassTally For(TailSamplingConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var latency = config.Policies.FirstOrDefault(p => p.Type == "latency");
        var probabilistic = config.Policies.FirstOrDefault(p => p.Type == "probabilistic");
        return new TraceClassTally(latency?.Latency.ThresholdMs, probabilistic?.Probabilistic.SamplingPercentage);
    }

    public long Traces(TraceClass c) => Interlocked.Read(ref _traces[(int)c]);

    public long Kept(TraceClass c) => Interlocked.Read(ref _kept[(int)c]);

    /// <summary>Spans of the decided traces of that class.</summary>
    public long Spans(TraceClass c) => Interlocked.Read(ref _spans[(int)c]);

    /// <summary>The class of a trace from its spans.</summary>
    public TraceClass Classify(IReadOnlyList<TraceSpan> spans)
    {
        ArgumentNullException.ThrowIfNull(spans);
        ulong minStart = 0, maxEnd = 0;
        foreach (var span in spans)
        {
            if (span.Status == SpanStatusCode.Error)
            {
                return TraceClass.Error;
            }

            minStart = minStart == 0 || span.StartTimeUnixNano < minStart ? span.StartTimeUnixNano : minStart;
            maxEnd = maxEnd == 0 || span.EndTimeUnixNano > maxEnd ? span.EndTimeUnixNano : maxEnd;
        }

        return SlowThresholdMs is { } threshold && spans.Count > 0 && LatencyEvaluator.DurationMilliseconds(maxEnd, minStart) >= threshold
            ? TraceClass.Slow
            : TraceClass.Baseline;
    }

    public void OnDecision(TraceDecisionRecord decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var c = (int)Classify(decision.Spans);
        Interlocked.Increment(ref _traces[c]);
        Interlocked.Add(ref _spans[c], decision.Spans.Count);
        if (decision.Final == SamplingDecision.Sampled)
        {
            Interlocked.Increment(ref _kept[c]);
        }
    }
}
