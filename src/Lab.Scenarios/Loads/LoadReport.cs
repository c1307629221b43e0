using OtelLab.Load.Simulations;
using OtelLab.Scenarios.Health;

namespace OtelLab.Scenarios.Loads;

/// <summary>What a <c>load</c> run measured: NBomber's stats per load scenario and phase, the pipeline's view of the same windows, the samples over time for charts, and the thresholds' verdicts.</summary>
public sealed record LoadReport
{
    public required string Scenario { get; init; }

    public required double TimeScale { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>Wall time the load took.</summary>
    public required TimeSpan WallDuration { get; init; }

    /// <summary>What each target was aimed at.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    public required IReadOnlyList<ScenarioStatsSnapshot> Scenarios { get; init; }

    /// <summary>The pipeline over the whole load.</summary>
    public required PipelineWindow Pipeline { get; init; }

    /// <summary>The pipeline over each phase (by load scenario and phase index).</summary>
    public IReadOnlyList<PhasePipeline> Phases { get; init; } = [];

    /// <summary>Readings over time (about one per wall second), for the charts.</summary>
    public IReadOnlyList<PipelineReading> Readings { get; init; } = [];

    public IReadOnlyList<ThresholdResult> Thresholds { get; init; } = [];

    /// <summary>Whether the simulator kept its own schedule over the run, start-up included (null when not sampled).</summary>
    public SimulationHealthSummary? Health { get; init; }

    /// <summary>The simulator's health samples taken while the load ran, and how many of them were behind: what the load's figures can be trusted by.</summary>
    public (int Behind, int Samples) HealthDuringLoad { get; init; }

    /// <summary>The limit search's verdict, line by line (empty for a plain run).</summary>
    public IReadOnlyList<string> Conclusions { get; init; } = [];

    public bool Passed => Thresholds.All(t => t.Passed);
}

/// <summary>The pipeline during one phase of one load scenario.</summary>
public sealed record PhasePipeline(string Scenario, int Index, PipelineWindow Window);

/// <summary>A threshold judged on one scope (a load scenario, or the pipeline): the measured value, or why none was measured.</summary>
public sealed record ThresholdResult(LoadThreshold Threshold, string Scope, double? Measured, bool Passed, string? Note = null)
{
    public string Describe()
    {
        // A threshold that names its load scenario already says the scope.
        var what = Threshold.Scenario is null ? $"{Scope}: {Threshold.Text}" : Threshold.Text;
        return Passed
            ? $"PASS  {what} (measured {Threshold.Format(Measured ?? 0)})"
            : $"FAIL  {what} breached: {(Measured is { } m ? "measured " + Threshold.Format(m) : Note)}";
    }
}
