using System.Collections.Concurrent;
using System.Net;
using k8s.Models;
using OtelLab.Sim.Cluster;

namespace OtelLab.Sim.Networking;

/// <summary>
/// Cluster DNS as CoreDNS's <c>kubernetes</c> plugin answers it, with a pod's resolv.conf search path
/// (<c>&lt;ns&gt;.svc.&lt;domain&gt; svc.&lt;domain&gt; &lt;domain&gt;</c>, <c>ndots:5</c>):
/// <list type="bullet">
/// <item><c>&lt;svc&gt;</c>, <c>&lt;svc&gt;.&lt;ns&gt;</c>, <c>&lt;svc&gt;.&lt;ns&gt;.svc</c>, <c>&lt;svc&gt;.&lt;ns&gt;.svc.cluster.local</c> → the ClusterIP;</item>
/// <item>a headless Service → the IPs of its ready endpoints;</item>
/// <item><c>&lt;hostname&gt;.&lt;svc&gt;.&lt;ns&gt;.svc.cluster.local</c> → that pod while it is ready (StatefulSet pods behind their headless Service);</item>
/// <item><c>a-b-c-d.&lt;ns&gt;.pod.cluster.local</c> → a-b-c-d as an address.</item>
/// </list>
/// Node names do not resolve (as on k3s). Names outside the cluster resolve only when added with
/// <see cref="AddHost"/> (a stand-in for upstream DNS, e.g. a mock vendor backend).
/// upstream: coredns/coredns plugin/kubernetes; kubernetes pkg/kubelet/network/dns (search path, ndots:5).
/// </summary>
public sealed class ClusterDns(SimulatedCluster cluster) : IClusterResolver
{
    private const int Ndots = 5;
    private readonly ConcurrentDictionary<string, IPAddress[]> _hosts = new(StringComparer.OrdinalIgnoreCase);

    private string Domain => cluster.Options.ClusterDomain;

    /// <summary>Adds a name outside the cluster (an external endpoint the lab stands in for); loopback addresses only.</summary>
    public void AddHost(string name, params IPAddress[] addresses)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(addresses);
        if (addresses.Any(a => !IPAddress.IsLoopback(a)))
        {
            throw new ArgumentException("the lab only uses loopback addresses (127.0.0.0/8)", nameof(addresses));
        }

        _hosts[name.TrimEnd('.')] = addresses;
    }

    public IReadOnlyList<IPAddress> Resolve(string host, ResolverContext from)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        ArgumentNullException.ThrowIfNull(from);
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            return [literal];
        }

        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return [from.PodAddress ?? IPAddress.Loopback];
        }

        foreach (var candidate in Candidates(host, from.Namespace))
        {
            var found = Lookup(candidate);
            if (found is not null)
            {
                return found;
            }
        }

        return [];
    }

    private IEnumerable<string> Candidates(string host, string ns)
    {
        if (host.EndsWith('.'))
        {
            yield return host.TrimEnd('.');
            yield break;
        }

        var dots = host.Count(c => c == '.');
        var search = new[] { $"{ns}.svc.{Domain}", $"svc.{Domain}", Domain };
        if (dots >= Ndots)
        {
            yield return host;
        }

        foreach (var suffix in search)
        {
            yield return $"{host}.{suffix}";
        }

        if (dots < Ndots)
        {
            yield return host;
        }
    }

    private IPAddress[]? Lookup(string fqdn)
    {
        if (_hosts.TryGetValue(fqdn, out var known))
        {
            return known;
        }

        var suffix = "." + Domain;
        if (!fqdn.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var labels = fqdn[..^suffix.Length].Split('.');
        return labels switch
        {
            [var svc, var ns, "svc"] => ServiceRecord(ns, svc),
            [var hostname, var svc, var ns, "svc"] => PodRecord(ns, svc, hostname),
            [var dashed, _, "pod"] => IPAddress.TryParse(dashed.Replace('-', '.'), out var ip) ? [ip] : null,
            _ => null,
        };
    }

    private IPAddress[]? ServiceRecord(string ns, string name)
    {
        var svc = cluster.Get<V1Service>(ns, name);
        if (svc is null)
        {
            return null;
        }

        if (svc.Spec.ClusterIP != "None")
        {
            return IPAddress.TryParse(svc.Spec.ClusterIP, out var vip) ? [vip] : null;
        }

        // Headless: one A record per ready endpoint (CoreDNS answers NXDOMAIN-free empty sets as no records).
        var endpoints = cluster.Get<V1Endpoints>(ns, name);
        var ips = endpoints?.Subsets?.SelectMany(s => s.Addresses ?? []).Select(a => IPAddress.Parse(a.Ip)).Distinct().ToArray() ?? [];
        return ips;
    }

    private IPAddress[]? PodRecord(string ns, string svc, string hostname)
    {
        var endpoints = cluster.Get<V1Endpoints>(ns, svc);
        var ips = endpoints?.Subsets?
            .SelectMany(s => s.Addresses ?? [])
            .Where(a => a.Hostname == hostname)
            .Select(a => IPAddress.Parse(a.Ip))
            .ToArray();
        return ips is { Length: > 0 } ? ips : null;
    }
}
