namespace OtelLab.Sim.TargetAllocation.Discovery;

/// <summary>
/// One <c>kubernetes_sd_configs</c> entry (upstream: prometheus discovery/kubernetes/kubernetes.go SDConfig): the role
/// and the namespaces to discover in (<c>namespaces.names</c>; empty means all namespaces, listed at cluster scope).
/// </summary>
public sealed record KubernetesSdConfig(string Role, IReadOnlyList<string> Namespaces)
{
    /// <summary>The roles upstream knows: <c>pod</c>, <c>endpoints</c>, <c>endpointslice</c>, <c>service</c>, <c>node</c> (and <c>ingress</c>, not emulated).</summary>
    public static IReadOnlySet<string> Roles { get; } = new HashSet<string>(StringComparer.Ordinal) { "pod", "endpoints", "endpointslice", "service", "node" };
}
