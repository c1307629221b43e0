using k8s.Models;
using InstrumentationCr = OtelLab.Model.Crds.Instrumentation;

namespace OtelLab.Sim.Operator.Instrumentation;

/// <summary>What the webhook reads besides the pod: the pod's namespace, the Instrumentations, the workload owners.</summary>
public sealed record PodMutationContext
{
    /// <summary>The pod's namespace (its annotations take part in the inject decision).</summary>
    public required V1Namespace Namespace { get; init; }

    /// <summary>Every Instrumentation in the cluster (all namespaces; <c>&lt;ns&gt;/&lt;name&gt;</c> may point elsewhere).</summary>
    public IReadOnlyList<InstrumentationCr> Instrumentations { get; init; } = [];

    public IWorkloadOwners Owners { get; init; } = InMemoryWorkloadOwners.Empty;

    public string NamespaceName => Namespace.Metadata?.Name ?? string.Empty;
}
