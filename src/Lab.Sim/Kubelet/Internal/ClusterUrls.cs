using System.Text.RegularExpressions;

namespace OtelLab.Sim.Kubelet.Internal;

/// <summary>
/// A child process resolves names with the host's resolver, not the cluster's. As a stand-in for the pod's
/// resolv.conf, a URL in an env value whose host the cluster DNS answers (a Service, a pod) is rewritten to the
/// address it resolves to from the container's pod; any other host (an IP, a node name — which does not resolve on
/// k3s — or a literal <c>$(VAR)</c> the kubelet left unexpanded) is left as is, so the program fails as it would.
/// </summary>
internal static partial class ClusterUrls
{
    public static string Resolve(string value, ContainerContext context) =>
        UrlHost().Replace(value, m =>
        {
            var host = m.Groups["host"].Value;
            var found = context.Resolver.Resolve(host, context.ResolverContext);
            return found.Count == 0 ? m.Value : m.Groups["scheme"].Value + found[0];
        });

    /// <summary>
    /// The Service names (<c>name.namespace.svc</c>, with or without <c>.cluster.local</c>: the cluster DNS's Service
    /// records) in <paramref name="value"/>'s URLs that the cluster DNS does not answer yet from the container's pod.
    /// </summary>
    public static IReadOnlyList<string> PendingServices(string value, ContainerContext context) =>
        [.. UrlHost().Matches(value).Select(m => m.Groups["host"].Value)
            .Where(h => (h.EndsWith(".svc", StringComparison.OrdinalIgnoreCase) || h.EndsWith(".svc.cluster.local", StringComparison.OrdinalIgnoreCase))
                && context.Resolver.Resolve(h, context.ResolverContext).Count == 0)];

    [GeneratedRegex(@"(?<scheme>\b[a-z][a-z0-9+.-]*://)(?<host>[a-zA-Z][a-zA-Z0-9-]*(\.[a-zA-Z0-9-]+)*)(?=[:/]|$|[\s,;])", RegexOptions.CultureInvariant)]
    private static partial Regex UrlHost();
}
