using OtelLab.Model.Manifests;
using OtelLab.Scenarios.Definition;

namespace OtelLab.Scenarios.Checks;

/// <summary>What a check judges: the scenario, its manifests and, for dynamic checks, the running lab.</summary>
public sealed class CheckContext
{
    public required ScenarioDefinition Scenario { get; init; }

    public required ManifestSet Manifests { get; init; }

    /// <summary>The running lab (null for a static-only run).</summary>
    public SimLab? Lab { get; init; }

    /// <summary>How long checks that wait for data may wait (the scenario's dataWithin unless the run overrides it).</summary>
    public required TimeSpan DataWithin { get; init; }
}
