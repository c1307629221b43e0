using k8s.Models;
using OtelLab.Sim.Cluster;
using InstrumentationCr = OtelLab.Model.Crds.Instrumentation;

namespace OtelLab.Sim.Operator.Instrumentation;

/// <summary>
/// The operator's pod-mutation webhook registered with the simulated API server: on Pod CREATE it runs
/// <see cref="PodMutator"/> against the cluster's namespaces, Instrumentations and owners.
/// upstream: internal/webhook/podmutation/webhookhandler.go (kubebuilder marker name=mpod.kb.io, failurePolicy=ignore,
/// verbs=create): a mutation error never denies the pod, it is admitted unmodified.
/// </summary>
public sealed class InstrumentationAdmissionWebhook(PodMutator? mutator = null) : IAdmissionWebhook
{
    private readonly PodMutator _mutator = mutator ?? new PodMutator();

    public string Name => "mpod.kb.io";

    public bool Mutating => true;

    public bool Handles(ResourceKind kind, AdmissionOperation operation) =>
        kind?.Kind == "Pod" && operation == AdmissionOperation.Create;

    public AdmissionResponse Review(AdmissionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var pod = (V1Pod)request.Object;
        var ns = request.Namespace ?? pod.Metadata?.NamespaceProperty ?? "default";
        var context = new PodMutationContext
        {
            Namespace = request.Cluster.Get<V1Namespace>(null, ns) ?? new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } },
            Instrumentations = request.Cluster.List<InstrumentationCr>(),
            Owners = new ClusterWorkloadOwners(request.Cluster),
        };
        var result = _mutator.Mutate(pod, context);
        return result.Mutated ? AdmissionResponse.Mutate(result.Pod) : AdmissionResponse.Allow();
    }

    private sealed class ClusterWorkloadOwners(SimulatedCluster cluster) : IWorkloadOwners
    {
        public V1ObjectMeta? GetReplicaSet(string ns, string name) => cluster.Get<V1ReplicaSet>(ns, name)?.Metadata;

        // The simulated cluster has no Job controller yet: a Job owner is "not found", as for a deleted Job.
        public V1ObjectMeta? GetJob(string ns, string name) => null;
    }
}
