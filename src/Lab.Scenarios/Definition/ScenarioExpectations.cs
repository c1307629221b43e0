namespace OtelLab.Scenarios.Definition;

/// <summary>What a run must show to pass; each check reads the thresholds it needs.</summary>
public sealed record ScenarioExpectations
{
    /// <summary>Static findings of severity error fail the run.</summary>
    public bool LintClean { get; init; } = true;

    /// <summary>How long the backend checks wait for the first data after the lab is ready.</summary>
    public TimeSpan DataWithin { get; init; } = TimeSpan.FromSeconds(35);

    /// <summary>Largest relative difference of spans per service between Dynatrace and Datadog.</summary>
    public double ParityTolerance { get; init; } = 0.05;

    /// <summary>The resource attribute k8sattributes adds, and the share of spans that must carry it.</summary>
    public string EnrichmentAttribute { get; init; } = "k8s.pod.name";

    public double EnrichmentMinRatio { get; init; } = 0.99;

    /// <summary>The lab must be ready within this time (15 s by default).</summary>
    public TimeSpan StartupBudget { get; init; } = TimeSpan.FromSeconds(15);
}
