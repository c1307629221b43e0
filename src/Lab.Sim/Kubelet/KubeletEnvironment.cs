using k8s.Models;
using OtelLab.Sim.Cluster;

namespace OtelLab.Sim.Kubelet;

/// <summary>
/// The kubelet's environment resolution (<see cref="ContainerEnvironment"/>: fieldRefs, Secret/ConfigMap refs,
/// <c>$(VAR)</c> only for earlier variables) over the simulated cluster's Secrets and ConfigMaps.
/// </summary>
public sealed class KubeletEnvironment(SimulatedCluster cluster) : IContainerEnvironment, IEnvValueSources
{
    public IReadOnlyList<KeyValuePair<string, string>> Resolve(V1Pod pod, V1Container container) =>
        ResolveDetailed(pod, container).Variables;

    /// <summary>The variables plus the references left literal and any config error, for findings.</summary>
    public ContainerEnvironmentResult ResolveDetailed(V1Pod pod, V1Container container) =>
        ContainerEnvironment.Resolve(pod, container, this);

    public V1Secret? GetSecret(string ns, string name) => cluster.Get<V1Secret>(ns, name);

    public V1ConfigMap? GetConfigMap(string ns, string name) => cluster.Get<V1ConfigMap>(ns, name);
}
