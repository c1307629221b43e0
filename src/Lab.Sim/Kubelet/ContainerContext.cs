using System.Net;
using k8s.Models;
using OtelLab.Sim.Cluster;
using OtelLab.Sim.Networking;

namespace OtelLab.Sim.Kubelet;

/// <summary>
/// What a container sees when it starts: its pod and container spec, resolved environment, the pod's address (bind
/// listeners and outgoing connections to it), its node, a resolver, the clock, a log and a readiness switch.
/// </summary>
public sealed class ContainerContext
{
    public required SimulatedCluster Cluster { get; init; }

    /// <summary>The pod as stored when the container started (a snapshot; do not mutate).</summary>
    public required V1Pod Pod { get; init; }

    public required V1Container Container { get; init; }

    /// <summary>The environment in order, after the kubelet's resolution (see <see cref="IContainerEnvironment"/>).</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> Environment { get; init; }

    public required IPAddress PodAddress { get; init; }

    public required string NodeName { get; init; }

    public required IPAddress NodeAddress { get; init; }

    public required IClusterResolver Resolver { get; init; }

    public required TimeProvider Time { get; init; }

    /// <summary>
    /// How many times faster than the wall clock <see cref="Time"/> runs (30 s intervals take 3 s at 10): emulated
    /// components need not read it (their timers run on <see cref="Time"/>); real processes, which live in wall time,
    /// get their SDK delays divided by it.
    /// </summary>
    public double TimeScale => Time is Model.Time.LabClock clock ? clock.Scale : 1;

    public required ContainerLog Log { get; init; }

    public required ContainerReadiness Readiness { get; init; }

    /// <summary>
    /// Where the pod's files are on disk (the lab's stand-in for its volumes: <c>/vault/secrets/dt</c> is
    /// <c>PodRoot/vault/secrets/dt</c>, the layout <see cref="Vault.AgentInjectionRequest.PodRoot"/> writes); null when
    /// the pod has none.
    /// </summary>
    public string? PodRoot { get; init; }

    /// <summary>How many times this container has been restarted before this start.</summary>
    public int RestartCount { get; init; }

    /// <summary>
    /// How the container's components list and watch the cluster as a ServiceAccount (<see cref="KubeletOptions.ComponentApi"/>);
    /// null reads the store in process.
    /// </summary>
    public Func<Model.Rbac.RbacSubject, IClusterReader>? ComponentApi { get; init; }

    /// <summary>The API as <paramref name="subject"/> sees it, over the wire or in process (the caller disposes it).</summary>
    public IClusterReader ApiFor(Model.Rbac.RbacSubject subject) => ComponentApi?.Invoke(subject) ?? new ApiAccess(Cluster, subject);

    /// <summary>The API as this pod's ServiceAccount sees it (the caller disposes it).</summary>
    public IClusterReader ApiForPod() =>
        ApiFor(new Model.Rbac.RbacSubject(Pod.Metadata.NamespaceProperty ?? "default", Pod.Spec?.ServiceAccountName ?? "default"));

    public string? Env(string name) => Environment.LastOrDefault(kv => kv.Key == name).Value;

    public ResolverContext ResolverContext => new(Pod.Metadata.NamespaceProperty, PodAddress);
}
