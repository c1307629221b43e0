using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Sim.Collector.Processors.TailSampling.Internal;

/// <summary>upstream: internal/sampling status_code.go — Sampled if any span's status code is in the set.</summary>
internal sealed class StatusCodeEvaluator : IPolicyEvaluator
{
    private readonly SpanStatusCode[] _codes;

    private StatusCodeEvaluator(SpanStatusCode[] codes)
    {
        _codes = codes;
    }

    /// <summary>NewStatusCodeFilter, with its error texts (case-sensitive names, as upstream).</summary>
    public static StatusCodeEvaluator Create(IReadOnlyList<string> statusCodes)
    {
        if (statusCodes.Count == 0)
        {
            throw new ArgumentException("expected at least one status code to filter on");
        }

        var codes = statusCodes.Select(s => s switch
        {
            "OK" => SpanStatusCode.Ok,
            "ERROR" => SpanStatusCode.Error,
            "UNSET" => SpanStatusCode.Unset,
            _ => throw new ArgumentException($"unknown status code \"{s}\", supported: OK, ERROR, UNSET"),
        }).ToArray();
        return new StatusCodeEvaluator(codes);
    }

    public SamplingDecision Evaluate(TraceId traceId, IReadOnlyList<TraceSpan> spans) =>
        SpanConditions.HasSpan(spans, span => Array.IndexOf(_codes, span.Status) >= 0);
}
