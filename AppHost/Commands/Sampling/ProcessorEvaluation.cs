using OtelLab.Sim.Collector.Processors.TailSampling;

namespace OtelLab.AppHost.Commands.Sampling;

/// <summary>Every trace of the input as decided by one tail_sampling processor.</summary>
internal sealed record ProcessorEvaluation(TailSamplingDefinition Definition, IReadOnlyList<TraceEvaluation> Traces)
{
    public IReadOnlyList<string> PolicyNames => [.. Definition.Config.Policies.Select(p => p.Name)];

    public int Kept => Traces.Count(t => t.Verdict.Final == SamplingDecision.Sampled);

    public int SpansKept => Traces.Where(t => t.Verdict.Final == SamplingDecision.Sampled).Sum(t => t.Spans.Count);
}
