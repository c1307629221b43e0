using OtelLab.Lint;

namespace OtelLab.Scenarios.Checks;

/// <summary>A check's verdict: outcome, one-line summary, the figures measured, and findings (lint's model: id, severity, object, file:line, evidence, why, fix).</summary>
public sealed record CheckResult
{
    public required string Id { get; init; }

    public required string Title { get; init; }

    public required CheckOutcome Outcome { get; init; }

    public required string Summary { get; init; }

    public IReadOnlyList<CheckFigure> Figures { get; init; } = [];

    public IReadOnlyList<Finding> Findings { get; init; } = [];

    /// <summary>Commands the check ran and what they printed, line by line, for the report (empty for most checks).</summary>
    public IReadOnlyList<string> Transcript { get; init; } = [];

    /// <summary>Wall time the check took, waits for its data included (set by the runner; zero when it did not run).</summary>
    public TimeSpan Duration { get; init; }

    public static CheckResult Skip(IScenarioCheck check, string reason) =>
        new() { Id = check.Id, Title = check.Title, Outcome = CheckOutcome.Skipped, Summary = reason };
}
