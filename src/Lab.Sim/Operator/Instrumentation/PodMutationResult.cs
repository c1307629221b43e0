using k8s.Models;

namespace OtelLab.Sim.Operator.Instrumentation;

/// <summary>
/// What the pod-mutation webhook answered for one pod CREATE. The webhook never blocks a pod
/// (upstream webhookhandler.go: <c>failurePolicy=ignore</c>, errors answered with <c>Allowed = true</c>): on any error
/// <see cref="Pod"/> is the pod exactly as submitted.
/// </summary>
public sealed record PodMutationResult
{
    /// <summary>The pod to create: mutated, or the submitted pod unchanged.</summary>
    public required V1Pod Pod { get; init; }

    /// <summary>True when the webhook changed the pod.</summary>
    public bool Mutated { get; init; }

    /// <summary>
    /// The error the webhook answered with (HTTP 500, <c>allowed: true</c>), e.g.
    /// <c>no OpenTelemetry Instrumentation instances available</c>; null when it answered with a patch.
    /// </summary>
    /// <remarks>
    /// Upstream records no Kubernetes Event for these errors: the operator logs them (see <see cref="Logs"/>) and the
    /// API server ignores the status of an allowed admission response. (webhookhandler.go's comment expects an event on
    /// the ReplicaSet; that is UNCONFIRMED.)
    /// </remarks>
    public string? AdmissionError { get; init; }

    /// <summary>Kubernetes Events recorded on the pod (e.g. <c>InstrumentationRequestRejected</c>).</summary>
    public IReadOnlyList<PodEvent> Events { get; init; } = [];

    /// <summary>What the operator logged while handling the pod.</summary>
    public IReadOnlyList<OperatorLogEntry> Logs { get; init; } = [];
}
