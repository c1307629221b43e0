namespace OtelLab.Sim.Collector.Processors.TailSampling;

/// <summary>
/// A policy's vote or the final decision. upstream: tailsamplingprocessor internal/sampling/policy.go —
/// the same members in the same order (Unspecified = 0 … InvertNotSampled = 7).
/// </summary>
public enum SamplingDecision
{
    /// <summary>Not decided yet (or, in a vote list, the policy was not evaluated).</summary>
    Unspecified,
    Pending,
    Sampled,
    NotSampled,

    /// <summary>A <c>drop</c> policy matched: the trace is not sampled whatever the others say.</summary>
    Dropped,

    /// <summary>The policy failed to evaluate; it does not vote.</summary>
    Error,

    /// <summary>Deprecated upstream: an <c>invert_match</c> policy found no match.</summary>
    InvertSampled,

    /// <summary>Deprecated upstream: an <c>invert_match</c> policy found a match; it vetoes sampling.</summary>
    InvertNotSampled,
}
