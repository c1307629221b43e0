namespace OtelLab.Sim.Collector.Processors.TailSampling;

/// <summary>The outcome of evaluating every policy on one trace (upstream processor.go makeDecision).</summary>
/// <param name="Final">Sampled, NotSampled or Dropped.</param>
/// <param name="Votes">Every policy in evaluation order (drop policies first, then the others in config order).</param>
/// <param name="SampledBy">The first policy whose vote made the trace Sampled (what <c>tailsampling.policy</c> records), or null.</param>
public sealed record TraceVerdict(SamplingDecision Final, IReadOnlyList<PolicyVote> Votes, string? SampledBy)
{
    /// <summary>The vote of the named policy (Unspecified if it was not evaluated or does not exist).</summary>
    public SamplingDecision VoteOf(string policy) =>
        Votes.FirstOrDefault(v => v.Policy == policy).Decision;

    /// <summary>How many policies failed to evaluate.</summary>
    public int Errors => Votes.Count(v => v.Decision == SamplingDecision.Error);
}
