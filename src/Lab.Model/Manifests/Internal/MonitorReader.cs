using OtelLab.Model.Crds;
using OtelLab.Model.Yaml;
using YamlDotNet.RepresentationModel;

namespace OtelLab.Model.Manifests.Internal;

/// <summary>Reads a ServiceMonitor or PodMonitor (<c>monitoring.coreos.com/v1</c>).</summary>
internal static class MonitorReader
{
    public static PrometheusMonitor Read(YamlMappingNode map, YamlReader reader, string kind, string name, string ns)
    {
        var spec = reader.Mapping(map, "spec", "spec");
        var selector = reader.Mapping(spec, "selector", "spec.selector");
        var nsSelector = reader.Mapping(spec, "namespaceSelector", "spec.namespaceSelector");
        var endpointsKey = kind == "ServiceMonitor" ? "endpoints" : "podMetricsEndpoints";
        var seq = reader.Sequence(spec, endpointsKey, $"spec.{endpointsKey}");
        var endpoints = new List<MonitorEndpoint>();
        for (var i = 0; i < (seq?.Children.Count ?? 0); i++)
        {
            var path = $"spec.{endpointsKey}[{i}]";
            var item = seq!.Children[i] as YamlMappingNode ?? throw reader.TypeError(seq.Children[i], path, "a mapping");
            endpoints.Add(new MonitorEndpoint(
                reader.String(item, "port", $"{path}.port"),
                reader.String(item, "targetPort", $"{path}.targetPort"),
                reader.String(item, "path", $"{path}.path") ?? "/metrics",
                reader.String(item, "scheme", $"{path}.scheme") ?? "http",
                reader.String(item, "interval", $"{path}.interval"),
                reader.Sequence(item, "relabelings", $"{path}.relabelings"),
                reader.Sequence(item, "metricRelabelings", $"{path}.metricRelabelings")));
        }

        var expressions = new List<MonitorSelectorExpression>();
        var exprSeq = reader.Sequence(selector, "matchExpressions", "spec.selector.matchExpressions");
        for (var i = 0; i < (exprSeq?.Children.Count ?? 0); i++)
        {
            var path = $"spec.selector.matchExpressions[{i}]";
            var item = exprSeq!.Children[i] as YamlMappingNode ?? throw reader.TypeError(exprSeq.Children[i], path, "a mapping");
            var key = reader.String(item, "key", $"{path}.key") ?? throw reader.TypeError(item, $"{path}.key", "a label key");
            var op = reader.Enum(item, "operator", $"{path}.operator", MonitorSelectorExpression.Operators) ?? throw reader.TypeError(item, $"{path}.operator", "one of In, NotIn, Exists, DoesNotExist");
            expressions.Add(new MonitorSelectorExpression(key, op, reader.StringList(item, "values", $"{path}.values")));
        }

        return new PrometheusMonitor
        {
            SelectorExpressions = expressions,
            Kind = kind,
            Name = name,
            Namespace = ns,
            Selector = reader.StringMap(selector, "matchLabels", "spec.selector.matchLabels"),
            AnyNamespace = reader.Bool(nsSelector, "any", "spec.namespaceSelector.any") ?? false,
            NamespaceNames = reader.StringList(nsSelector, "matchNames", "spec.namespaceSelector.matchNames"),
            Endpoints = endpoints,
        };
    }
}
