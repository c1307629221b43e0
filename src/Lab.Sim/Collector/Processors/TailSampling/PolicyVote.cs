namespace OtelLab.Sim.Collector.Processors.TailSampling;

/// <summary>
/// One policy's vote on one trace. <see cref="SamplingDecision.Unspecified"/> means the policy was not evaluated
/// (an earlier drop policy matched, or sample_on_first_match stopped early).
/// </summary>
/// <param name="Policy">The configured policy name.</param>
/// <param name="Decision">The vote.</param>
/// <param name="ElapsedMicroseconds">
/// Time since the decision started when this policy finished — cumulative, as upstream records
/// <c>sampling_decision_latency</c> (<c>time.Since(startTime)</c> with one start time for all policies).
/// </param>
public readonly record struct PolicyVote(string Policy, SamplingDecision Decision, long ElapsedMicroseconds);
