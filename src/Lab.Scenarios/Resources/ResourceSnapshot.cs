namespace OtelLab.Scenarios.Resources;

/// <summary>A resource's state at one instant (what the console, the dashboard and the reports show).</summary>
public sealed record ResourceSnapshot(
    string Name,
    string Kind,
    ResourceState State,
    string? Reason,
    IReadOnlyList<string> Dependencies,
    TimeSpan? ReadyAfter)
{
    public bool IsHealthy => State == ResourceState.Running;
}
