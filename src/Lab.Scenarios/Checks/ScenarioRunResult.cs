using OtelLab.Lint;
using OtelLab.Scenarios.Resources;

namespace OtelLab.Scenarios.Checks;

/// <summary>Everything a report shows about one run of one scenario.</summary>
public sealed record ScenarioRunResult
{
    public required string Scenario { get; init; }

    public string Description { get; init; } = "";

    public required DateTimeOffset StartedAt { get; init; }

    public required TimeSpan Duration { get; init; }

    /// <summary>Null when the lab did not come up (or the run was static only).</summary>
    public TimeSpan? StartupTime { get; init; }

    public IReadOnlyList<ResourceSnapshot> Resources { get; init; } = [];

    public required IReadOnlyList<CheckResult> Checks { get; init; }

    /// <summary>Per backend: accepted spans, metric points, rejections (for the report's chart).</summary>
    public IReadOnlyList<BackendFigures> Backends { get; init; } = [];

    /// <summary>The simulator's health over the run (null for a static run).</summary>
    public Health.SimulationHealthSummary? SimulationHealth { get; init; }

    /// <summary>No check failed (an untrustworthy check is not a failure, see <see cref="Trustworthy"/>).</summary>
    public bool Passed => Checks.All(c => c.Outcome != CheckOutcome.Fail);

    /// <summary>No check's verdict was set aside because the simulator was behind.</summary>
    public bool Trustworthy => Checks.All(c => c.Outcome != CheckOutcome.Untrustworthy);

    /// <summary>"fail" when a check failed, else "untrustworthy" when a verdict was set aside, else "pass".</summary>
    public string Verdict => !Passed ? "fail" : !Trustworthy ? "untrustworthy" : "pass";

    public IEnumerable<Finding> Findings => Checks.SelectMany(c => c.Findings);
}

/// <summary>A backend's totals at the end of a run.</summary>
public sealed record BackendFigures(string Backend, long AcceptedSpans, long AcceptedMetricPoints, long AcceptedLogRecords, long RejectedItems, long RejectedRequests);
