using OtelLab.Sim.Collector.Processors.TailSampling.Internal;
using YamlDotNet.RepresentationModel;

namespace OtelLab.Sim.Collector.Processors.TailSampling;

/// <summary>
/// The <c>tail_sampling</c> processor's configuration. upstream: tailsamplingprocessor config.go + factory.go
/// (defaults decision_wait 30s, num_traces 50000, expected_new_traces_per_sec 0, decision caches 0 = no-op).
/// </summary>
public sealed record TailSamplingConfig
{
    public TimeSpan DecisionWait { get; init; } = TimeSpan.FromSeconds(30);

    public ulong NumTraces { get; init; } = 50_000;

    public ulong ExpectedNewTracesPerSec { get; init; }

    public IReadOnlyList<PolicyConfig> Policies { get; init; } = [];

    /// <summary><c>decision_cache.sampled_cache_size</c> (0 = no cache).</summary>
    public int SampledCacheSize { get; init; }

    /// <summary><c>decision_cache.non_sampled_cache_size</c> (0 = no cache).</summary>
    public int NonSampledCacheSize { get; init; }

    /// <summary><c>sample_on_first_match</c>: stop evaluating at the first Sampled vote.</summary>
    public bool SampleOnFirstMatch { get; init; }

    /// <summary>
    /// How many one-second batches a trace waits: upstream processor.go
    /// <c>numDecisionBatches := math.Max(1, cfg.DecisionWait.Seconds())</c>, then <c>uint64(...)</c> truncates.
    /// </summary>
    public ulong DecisionBatches => (ulong)Math.Max(1, DecisionWait.TotalSeconds);

    /// <summary>
    /// Reads a <c>tail_sampling[/name]:</c> mapping as the collector's confmap would (unknown keys are errors).
    /// Throws <see cref="TailSamplingConfigException"/> with the YAML position on anything the collector rejects.
    /// </summary>
    /// <param name="node">The processor's mapping (may be null/empty: all defaults).</param>
    /// <param name="lineOffset">Added to reported lines when the YAML was embedded in another file (v1alpha1 <c>spec.config</c>).</param>
    public static TailSamplingConfig Parse(YamlMappingNode? node, long lineOffset = 0) =>
        new TailSamplingConfigReader(lineOffset).Read(node);
}
