using System.Net;
using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Sim.Collector.Processors.K8sAttributes.Internal;

/// <summary>
/// Which pod a resource came from, as upstream pod_association.go extractPodID decides: without rules
/// <c>k8s.pod.ip</c> → <c>ip</c> → connection address → <c>host.name</c> if it parses as an IP (all treated as
/// connection-sourced, so they also set <c>k8s.pod.ip</c>); with rules, the first rule whose sources all resolve.
/// </summary>
internal readonly record struct PodIdentity(string? Key, string? ConnectionIp)
{
    public static PodIdentity Extract(IReadOnlyDictionary<string, AttributeValue> attributes, string? connection, IReadOnlyList<IReadOnlyList<AssociationSource>> rules)
    {
        if (rules.Count == 0)
        {
            var ip = Str(attributes, "k8s.pod.ip") ?? Str(attributes, "ip") ?? connection ?? IpHostName(attributes);
            return ip is null ? default : new PodIdentity(PodField.Key([(PodField.Ip, ip)]), ip);
        }

        foreach (var rule in rules)
        {
            var parts = new List<(string, string)>(rule.Count);
            string? fromConnection = null;
            foreach (var source in rule)
            {
                string? value;
                if (source.From == "connection")
                {
                    value = connection;
                    fromConnection = value;
                }
                else
                {
                    value = source.Name == "host.name" ? IpHostName(attributes) : Str(attributes, source.Name!);
                }

                if (value is null)
                {
                    parts = null;
                    break;
                }

                parts.Add((PodField.Of(source), value));
            }

            if (parts is not null)
            {
                return new PodIdentity(PodField.Key(parts), fromConnection);
            }
        }

        return default;
    }

    // upstream stringAttributeFromMap: only string-typed, non-empty values count.
    private static string? Str(IReadOnlyDictionary<string, AttributeValue> attributes, string key) =>
        attributes.TryGetValue(key, out var v) && v.Str.Length > 0 ? v.Str : null;

    private static string? IpHostName(IReadOnlyDictionary<string, AttributeValue> attributes) =>
        Str(attributes, "host.name") is { } h && IPAddress.TryParse(h, out _) ? h : null;
}
