using OtelLab.Model;

namespace OtelLab.Lint;

/// <summary>
/// A defect the lab found: which rule, how bad, the object and its <c>file:line</c>, what was seen (evidence),
/// why it matters (with the upstream fact) and how to fix it.
/// </summary>
public sealed record Finding
{
    public required string RuleId { get; init; }

    public required Severity Severity { get; init; }

    /// <summary>The object concerned, e.g. <c>OpenTelemetryCollector observability/otel-gateway</c>.</summary>
    public required string Object { get; init; }

    public required SourceLocation Location { get; init; }

    /// <summary>One sentence: what is wrong, naming the object.</summary>
    public required string Message { get; init; }

    /// <summary>What was seen, e.g. the values, bindings or references that prove the defect.</summary>
    public IReadOnlyList<string> Evidence { get; init; } = [];

    public required string Why { get; init; }

    public required string Fix { get; init; }

    /// <summary>
    /// For a finding measured on a running lab: whether the simulator was keeping its own schedule when it was measured
    /// (false: measured while the lab was behind, read it as the simulator's overload as much as the pipeline's). Null for
    /// static findings.
    /// </summary>
    public bool? MeasuredHealthy { get; init; }
}
