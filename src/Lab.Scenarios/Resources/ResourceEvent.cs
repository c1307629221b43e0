namespace OtelLab.Scenarios.Resources;

/// <summary>A state change of a resource, with why.</summary>
public sealed record ResourceEvent(DateTimeOffset At, string Resource, ResourceState State, string? Reason);
