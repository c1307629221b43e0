namespace OtelLab.Sim.ArgoCd.Internal;

/// <summary>
/// A sync operation in progress (argo-cd status.operationState while Running): its waves still to apply, the objects
/// of the last applied wave it waits on, and the results so far. It lives across reconcile passes, as Argo's does
/// (controller/appcontroller.go processRequestedAppOperations runs the operation again until it completes).
/// </summary>
internal sealed class SyncOperation(string revision, bool selfHeal, DateTimeOffset startedAt, IReadOnlyList<IReadOnlyList<(TargetObject Object, int Wave)>> steps)
{
    public string Revision { get; } = revision;

    public bool SelfHeal { get; } = selfHeal;

    public DateTimeOffset StartedAt { get; } = startedAt;

    /// <summary>The target objects grouped by wave, in sync order.</summary>
    public IReadOnlyList<IReadOnlyList<(TargetObject Object, int Wave)>> Steps { get; } = steps;

    /// <summary>The index of the next wave to apply.</summary>
    public int Next { get; set; }

    public bool Begun { get; set; }

    /// <summary>More than one phase or wave (gitops-engine sync_tasks.go multiStep): each wave waits for health.</summary>
    public bool MultiStep { get; set; }

    /// <summary>The applied objects not yet Healthy.</summary>
    public IReadOnlyList<TargetObject> Waiting { get; set; } = [];

    public List<ResourceResult> Results { get; } = [];

    public string? LastMessage { get; set; }

    /// <summary><c>status.operationState.retryCount</c>: failed attempts retried so far.</summary>
    public int RetryCount { get; set; }

    /// <summary>When the next attempt may start (after a failed one), or null.</summary>
    public DateTimeOffset? RetryAt { get; set; }

    /// <summary>Starts the operation over for a retry.</summary>
    public void Reset()
    {
        Next = 0;
        Begun = false;
        Waiting = [];
        Results.Clear();
    }
}
