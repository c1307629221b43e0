namespace OtelLab.Sim.Cluster;

/// <summary>
/// A webhook the simulated API server calls on create/update, like a MutatingWebhookConfiguration or
/// ValidatingWebhookConfiguration entry. The operator's collector webhook and the pod-mutation (auto-instrumentation)
/// webhook plug in here. Mutating webhooks run before validating ones, in registration order.
/// </summary>
public interface IAdmissionWebhook
{
    /// <summary>The webhook's name as it prefixes a denial (<c>admission webhook "NAME" denied the request: …</c>).</summary>
    string Name { get; }

    bool Mutating { get; }

    bool Handles(ResourceKind kind, AdmissionOperation operation);

    AdmissionResponse Review(AdmissionRequest request);
}

public enum AdmissionOperation
{
    Create,
    Update,
}

/// <summary>What the API server sends a webhook: the object (and the stored one on update).</summary>
public sealed record AdmissionRequest(
    AdmissionOperation Operation,
    ResourceKind Kind,
    string? Namespace,
    string Name,
    object Object,
    object? OldObject,
    SimulatedCluster Cluster);

/// <summary>
/// A webhook's answer: allow (optionally with a mutated object and warnings) or deny with a message.
/// <paramref name="WebhookName"/> overrides the name in the denial when one handler serves several registrations.
/// </summary>
public sealed record AdmissionResponse(bool Allowed, object? Patched, string? Message, IReadOnlyList<string> Warnings, string? WebhookName = null)
{
    public static AdmissionResponse Allow(IReadOnlyList<string>? warnings = null) => new(true, null, null, warnings ?? []);

    public static AdmissionResponse Mutate(object patched, IReadOnlyList<string>? warnings = null) => new(true, patched, null, warnings ?? []);

    public static AdmissionResponse Deny(string message, string? webhookName = null) => new(false, null, message, [], webhookName);
}
