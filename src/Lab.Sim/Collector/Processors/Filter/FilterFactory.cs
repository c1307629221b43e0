using OtelLab.Model.Collector;
using OtelLab.Sim.Collector.Internal;
using OtelLab.Sim.Collector.Pipeline;
using OtelLab.Sim.Collector.Processors.Filter.Internal;
using YamlDotNet.RepresentationModel;

namespace OtelLab.Sim.Collector.Processors.Filter;

/// <summary>Builds <c>filter</c> processors for metrics pipelines (contrib; upstream processor/filterprocessor/config.go).</summary>
public sealed class FilterFactory : IComponentFactory
{
    public string Type => "filter";

    public ComponentKind Kind => ComponentKind.Processor;

    public IReadOnlySet<string> Signals { get; } = new HashSet<string>(StringComparer.Ordinal) { "metrics" };

    public ICollectorComponent Create(ComponentCreateContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var s = new ComponentSettings(context);
        var errorMode = s.String(s.Root, "error_mode", "error_mode") ?? "propagate";
        if (errorMode is not ("propagate" or "ignore" or "silent"))
        {
            // upstream ottl.ErrorMode UnmarshalText
            throw s.Error(ComponentSettings.Child(s.Root, "error_mode"), $"'error_mode' unknown error mode {errorMode}");
        }

        var metrics = s.Mapping(s.Root, "metrics", "metrics");
        var include = Matcher(s, metrics, "include");
        var exclude = Matcher(s, metrics, "exclude");
        var conditions = new List<MetricNameCondition>();
        foreach (var text in s.Strings(metrics, "metric", "metrics.metric"))
        {
            conditions.Add(MetricNameCondition.TryParse(text)
                ?? throw s.Error(ComponentSettings.Child(metrics, "metric"), $"OTTL condition '{text}' is not emulated by the lab (supported: name == \"x\", name != \"x\", IsMatch(name, \"re\"), also as metric.name)"));
        }

        if (s.Strings(metrics, "datapoint", "metrics.datapoint").Count > 0)
        {
            throw s.Error(ComponentSettings.Child(metrics, "datapoint"), "OTTL datapoint conditions are not emulated by the lab");
        }

        if (conditions.Count > 0 && (include is not null || exclude is not null))
        {
            // upstream config.go Validate
            throw s.Error(metrics, "cannot use ottl conditions and include/exclude for metrics at the same time");
        }

        return new FilterProcessor(context, include, exclude, conditions);
    }

    private static NameMatcher? Matcher(ComponentSettings s, YamlMappingNode? metrics, string key)
    {
        var node = s.Mapping(metrics, key, "metrics." + key);
        if (node is null)
        {
            return null;
        }

        var matchType = s.String(node, "match_type", "match_type") ?? string.Empty;
        if (matchType is not ("strict" or "regexp"))
        {
            // upstream filterconfig: unrecognized match_type ("expr" is not emulated).
            throw s.Error(node, $"unrecognized match_type: '{matchType}', valid types are: [regexp strict] (expr is not emulated by the lab)");
        }

        return new NameMatcher(matchType, s.Strings(node, "metric_names", $"metrics.{key}.metric_names"));
    }
}
