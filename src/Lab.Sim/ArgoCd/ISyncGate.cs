namespace OtelLab.Sim.ArgoCd;

/// <summary>
/// A change gate in front of automated sync: before a new revision is synced the controller asks the gate, which
/// holds it (Pending) until a person approves or rejects it, and tells the gate how the sync ended.
/// </summary>
public interface ISyncGate
{
    /// <summary>The decision for one revision; the first call for a revision opens the request (idempotent after).</summary>
    Task<GateDecision> ReviewAsync(GateRequest request, CancellationToken cancellationToken);

    /// <summary>Records the sync result of an approved revision and closes its request.</summary>
    Task CompleteAsync(GateRequest request, OperationState result, CancellationToken cancellationToken);
}

/// <summary>What the gate is asked about: an Application moving from one commit to another under its path.</summary>
public sealed record GateRequest(string Application, string Path, string Revision, string? PreviousRevision, string Subject, string DiffSummary);

public enum GateVerdict
{
    Pending,
    Approved,
    Rejected,
}

/// <summary>The gate's answer and the request it refers to (e.g. <c>CHG0030001</c>).</summary>
public sealed record GateDecision(GateVerdict Verdict, string Reference, string Message);
