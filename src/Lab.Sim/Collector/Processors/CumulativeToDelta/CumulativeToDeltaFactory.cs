using OtelLab.Model.Collector;
using OtelLab.Sim.Collector.Internal;
using OtelLab.Sim.Collector.Pipeline;
using YamlDotNet.RepresentationModel;

namespace OtelLab.Sim.Collector.Processors.CumulativeToDelta;

/// <summary>Builds <c>cumulativetodelta</c> processors (contrib; upstream config.go: include, exclude, max_staleness, initial_value).</summary>
public sealed class CumulativeToDeltaFactory : IComponentFactory
{
    public string Type => "cumulativetodelta";

    public ComponentKind Kind => ComponentKind.Processor;

    public IReadOnlySet<string> Signals { get; } = new HashSet<string>(StringComparer.Ordinal) { "metrics" };

    public ICollectorComponent Create(ComponentCreateContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var s = new ComponentSettings(context);
        var initial = s.String(s.Root, "initial_value", "initial_value") ?? "auto";
        if (initial is not ("auto" or "keep" or "drop"))
        {
            // upstream tracking InitialValue.UnmarshalText
            throw s.Error(ComponentSettings.Child(s.Root, "initial_value"), $"'initial_value' unknown initial_value: {initial}");
        }

        return new CumulativeToDeltaProcessor(
            context,
            Matcher(s, "include"),
            Matcher(s, "exclude"),
            s.Duration(s.Root, "max_staleness", "max_staleness") ?? TimeSpan.Zero,
            initial);
    }

    private static NameMatcher? Matcher(ComponentSettings s, string key)
    {
        var node = s.Mapping(s.Root, key, key);
        if (node is null)
        {
            return null;
        }

        var names = s.Strings(node, "metrics", key + ".metrics");
        if (names.Count == 0)
        {
            return null;
        }

        var matchType = s.String(node, "match_type", key + ".match_type") ?? string.Empty;
        if (matchType is not ("strict" or "regexp"))
        {
            // upstream config.go Validate: "match_type must be set if metrics are supplied" / filterset.
            throw s.Error((YamlNode)node, $"{key}: match_type must be set if metrics are supplied");
        }

        return new NameMatcher(matchType, names);
    }
}
