using OtelLab.Model.Collector;
using OtelLab.Model.Crds;
using OtelLab.Model.Manifests;
using OtelLab.Model.Yaml;
using YamlDotNet.RepresentationModel;

namespace OtelLab.Lint.Internal;

/// <summary>Which collector sends to which, read from exporter endpoints and loadbalancing resolvers.</summary>
internal static class CollectorGraph
{
    public sealed record Feed(ManifestObject From, OpenTelemetryCollector Collector, ComponentConfig Exporter, bool RoutesByTrace);

    /// <summary>Exporters in any collector that address <paramref name="target"/> (its Service, headless Service or pods).</summary>
    public static IEnumerable<Feed> FeedsInto(LintContext context, OpenTelemetryCollector target)
    {
        foreach (var (m, c) in context.Collectors)
        {
            foreach (var e in c.Config.Exporters.Values)
            {
                if (e.Id.Type == "loadbalancing")
                {
                    if (Mentions(e.Settings, target))
                    {
                        var key = (YamlReader.Child(e.Settings, "routing_key") as YamlScalarNode)?.Value ?? "traceID";
                        yield return new Feed(m, c, e, key == "traceID");
                    }
                }
                else if (e.Id.Type is "otlp" or "otlphttp" &&
                         YamlReader.Child(e.Settings, "endpoint") is YamlScalarNode { Value: { } endpoint } &&
                         Addresses(endpoint, target))
                {
                    yield return new Feed(m, c, e, false);
                }
            }
        }
    }

    public static bool Addresses(string endpoint, OpenTelemetryCollector target)
    {
        var host = endpoint;
        var scheme = host.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            host = host[(scheme + 3)..];
        }

        host = host.Split(':', '/')[0];
        var first = host.Split('.')[0];
        var nsPart = host.Split('.').ElementAtOrDefault(1);
        return (first == target.ServiceName || first == target.HeadlessServiceName) && (nsPart is null || nsPart == target.Namespace);
    }

    private static bool Mentions(YamlMappingNode? settings, OpenTelemetryCollector target)
    {
        var resolver = YamlReader.Child(settings, "resolver") as YamlMappingNode;
        if (resolver is null)
        {
            return false;
        }

        return Scalars(resolver).Any(v => Addresses(v, target));
    }

    private static IEnumerable<string> Scalars(YamlNode node) => node switch
    {
        YamlScalarNode s when s.Value is not null => [s.Value],
        YamlMappingNode m => m.Children.Values.SelectMany(Scalars),
        YamlSequenceNode q => q.Children.SelectMany(Scalars),
        _ => [],
    };
}
