namespace OtelLab.Sim.ArgoCd;

/// <summary>
/// An Application's <c>status</c> as Argo CD reports it (argo-cd pkg/apis/application/v1alpha1/types.go
/// ApplicationStatus): sync status and revision, health, conditions, the last operation and the resources.
/// </summary>
public sealed record ApplicationStatus
{
    /// <summary><c>status.sync.status</c>: Synced, OutOfSync or Unknown (types.go SyncStatusCode).</summary>
    public string SyncStatus { get; init; } = "Unknown";

    /// <summary><c>status.sync.revision</c>: the commit compared against.</summary>
    public string? Revision { get; init; }

    public HealthStatus Health { get; init; } = HealthStatus.Missing;

    /// <summary><c>status.conditions</c>, e.g. ComparisonError, SyncError.</summary>
    public IReadOnlyList<ApplicationCondition> Conditions { get; init; } = [];

    /// <summary><c>status.operationState</c> of the last sync, or null before the first.</summary>
    public OperationState? OperationState { get; init; }

    public IReadOnlyList<ResourceStatus> Resources { get; init; } = [];

    /// <summary><c>status.reconciledAt</c>: the last comparison with the latest commit.</summary>
    public DateTimeOffset? ReconciledAt { get; init; }
}

/// <summary>A <c>status.conditions[]</c> entry (types.go ApplicationCondition).</summary>
public sealed record ApplicationCondition(string Type, string Message);

/// <summary><c>status.resources[]</c> (types.go ResourceStatus).</summary>
public sealed record ResourceStatus(string Group, string Kind, string? Namespace, string Name, string Status, HealthStatus? Health, bool RequiresPruning, int SyncWave);

/// <summary><c>status.operationState</c>: phase Running|Failed|Error|Succeeded, message, the sync result.</summary>
public sealed record OperationState(string Phase, string Message, string Revision, IReadOnlyList<ResourceResult> Resources, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, bool SelfHeal);

/// <summary>One object's sync result: Synced, SyncFailed, Pruned or PruneSkipped (gitops-engine pkg/sync/common/types.go ResultCode).</summary>
public sealed record ResourceResult(string Kind, string? Namespace, string Name, string Status, string Message, int SyncWave);
