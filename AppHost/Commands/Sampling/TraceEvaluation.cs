using OtelLab.Sim.Collector.Processors.TailSampling;
using OtelLab.Sim.Collector.Traces;

namespace OtelLab.AppHost.Commands.Sampling;

/// <summary>One complete trace and the verdict of one tail_sampling processor on it.</summary>
internal sealed record TraceEvaluation(TraceId TraceId, IReadOnlyList<TraceSpan> Spans, TraceVerdict Verdict)
{
    /// <summary>The root span (no parent), else the first span.</summary>
    public TraceSpan Root => Spans.FirstOrDefault(s => s.ParentSpanId == 0) ?? Spans[0];

    /// <summary>Votes in configuration order, "NotEvaluated" for a policy skipped by an earlier drop / first match.</summary>
    public IEnumerable<(string Policy, string Vote)> VotesInConfigOrder(IReadOnlyList<string> configOrder) =>
        configOrder.Select(p => (p, Verdict.VoteOf(p) is var d && d == SamplingDecision.Unspecified ? "NotEvaluated" : d.ToString()));
}
