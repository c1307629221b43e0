namespace OtelLab.Scenarios.Resources;

/// <summary>Where a resource is in its life (Aspire's KnownResourceStates, as far as the lab needs them).</summary>
public enum ResourceState
{
    /// <summary>Declared, not started yet.</summary>
    NotStarted,

    /// <summary>Waiting for the resources it depends on to become healthy.</summary>
    Waiting,

    /// <summary>Started; waiting for its health check.</summary>
    Starting,

    /// <summary>Started and healthy.</summary>
    Running,

    /// <summary>Its start or health check failed.</summary>
    Failed,

    /// <summary>Never started because a resource it waits for failed or was blocked.</summary>
    Blocked,

    Stopping,

    Stopped,
}
