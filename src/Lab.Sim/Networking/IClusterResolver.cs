using System.Net;

namespace OtelLab.Sim.Networking;

/// <summary>
/// Name resolution for emulated components, as a pod's resolver would answer inside the cluster. Components resolve
/// through this seam, never through the OS resolver (which knows nothing about Services).
/// </summary>
public interface IClusterResolver
{
    /// <summary>The addresses of <paramref name="host"/> for a client in <paramref name="from"/>; empty when the name does not exist (NXDOMAIN).</summary>
    IReadOnlyList<IPAddress> Resolve(string host, ResolverContext from);
}

/// <summary>Who is asking: the pod's namespace (for the search path) and, optionally, its own address (<c>localhost</c>).</summary>
public sealed record ResolverContext(string Namespace, IPAddress? PodAddress = null)
{
    public static ResolverContext Default { get; } = new("default");
}
