using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Sim.Collector.Processors.TailSampling.Internal;

/// <summary>
/// upstream: internal/sampling probabilistic.go — Sampled iff fnv1a64(salt ‖ traceId) &lt;= threshold, with
/// salt "default-hash-seed" when <c>hash_salt</c> is empty and threshold = calculateThreshold(pct / 100).
/// </summary>
internal sealed class ProbabilisticEvaluator : IPolicyEvaluator
{
    /// <summary>upstream defaultHashSalt.</summary>
    public const string DefaultHashSalt = "default-hash-seed";

    private readonly TraceIdHash _hash;

    public ProbabilisticEvaluator(string hashSalt, double samplingPercentage)
    {
        _hash = new TraceIdHash(string.IsNullOrEmpty(hashSalt) ? DefaultHashSalt : hashSalt);
        Threshold = ProbabilisticThreshold.Calculate(samplingPercentage / 100);
    }

    public ulong Threshold { get; }

    public SamplingDecision Evaluate(TraceId traceId, IReadOnlyList<TraceSpan> spans) =>
        _hash.Hash(traceId) <= Threshold ? SamplingDecision.Sampled : SamplingDecision.NotSampled;
}
