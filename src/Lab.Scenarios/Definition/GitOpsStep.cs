using OtelLab.Model;

namespace OtelLab.Scenarios.Definition;

/// <summary>What a <c>gitops.steps</c> entry does.</summary>
public enum GitOpsStepKind
{
    /// <summary>A real git commit in the scenario's repository: files put under the Application's path, files removed.</summary>
    Commit,

    /// <summary>The change advisory board approves the open change request (its approver record, through the Table API).</summary>
    Approve,

    /// <summary>The change advisory board rejects the open change request.</summary>
    Reject,

    /// <summary>Lab time passes (e.g. to measure how long the gate holds a sync).</summary>
    Wait,

    /// <summary>Waits until the Application has synced the last commit (bounded).</summary>
    WaitForSync,

    /// <summary>A live object deleted as <c>kubectl delete</c> does; with self-heal Argo CD recreates it.</summary>
    Delete,
}

/// <summary>
/// One step of a scenario's <c>gitops.steps</c>, run in order once the load starts:
/// <c>{ commit: MESSAGE, put: { FILE: SOURCE }, remove: [FILE] }</c>, <c>{ approve: COMMENT }</c>,
/// <c>{ reject: COMMENT }</c>, <c>{ wait: 30s }</c>, <c>{ waitForSync: 5m }</c>, <c>{ delete: KIND/NAMESPACE/NAME }</c>.
/// </summary>
public sealed record GitOpsStep
{
    public required GitOpsStepKind Kind { get; init; }

    /// <summary>The commit message, or the approver's comment.</summary>
    public string Text { get; init; } = string.Empty;

    /// <summary>Files written under the Application's path (relative to it) and the scenario files they come from (absolute).</summary>
    public IReadOnlyList<(string File, string Source)> Put { get; init; } = [];

    /// <summary>Files removed from the Application's path (relative to it).</summary>
    public IReadOnlyList<string> Remove { get; init; } = [];

    /// <summary>The object a delete step removes: kind, namespace, name.</summary>
    public (string Kind, string Namespace, string Name)? Target { get; init; }

    /// <summary>How long a wait lasts, or the bound of a waitForSync (lab time).</summary>
    public TimeSpan Duration { get; init; }

    public required SourceLocation Location { get; init; }

    public override string ToString() => Kind switch
    {
        GitOpsStepKind.Commit => $"commit \"{Text}\" ({string.Join(", ", Put.Select(p => "put " + p.File).Concat(Remove.Select(f => "remove " + f)))})",
        GitOpsStepKind.Approve or GitOpsStepKind.Reject => $"{Kind.ToString().ToLowerInvariant()} the open change request (\"{Text}\")",
        GitOpsStepKind.Wait => $"wait {Duration.TotalSeconds:0.#} s",
        GitOpsStepKind.Delete => $"kubectl delete {Target?.Kind} {Target?.Name} -n {Target?.Namespace}",
        _ => $"wait for the sync of the last commit (at most {Duration.TotalSeconds:0.#} s)",
    };
}
