using System.Globalization;
using OtelLab.Model.Collector;
using OtelLab.Model.Go;
using OtelLab.Sim.Collector.Pipeline;
using YamlDotNet.RepresentationModel;

namespace OtelLab.Sim.Collector.Runtime;

/// <summary>
/// Typed reads of a component's (already expanded) settings, with upstream's defaults supplied by the caller. Unknown
/// keys and wrong types are refused before any factory runs, by the config decoder
/// (<see cref="OtelLab.Model.Collector.Decoding.ConfigDecoder"/>) in the image's own words; the parse errors left here
/// only guard a factory built directly, and <see cref="Error"/> words a factory's semantic checks
/// (<c>error reading configuration for "otlp": …</c>) as <see cref="CollectorStartException"/>.
/// </summary>
public sealed class ComponentSettings(ComponentId id, YamlMappingNode? node)
{
    public YamlMappingNode? Node => node;

    public ComponentSettings Section(string key) => new(id, Child(key) as YamlMappingNode);

    public bool Has(string key) => Child(key) is not null;

    /// <summary>True when the key is present (even with an empty value, like <c>grpc:</c>).</summary>
    public bool Contains(string key) => node is not null && node.Children.ContainsKey(new YamlScalarNode(key));

    public string? String(string key, string? fallback = null) => Child(key) is YamlScalarNode { Value: { } v } ? v : fallback;

    public int Int(string key, int fallback)
    {
        var text = String(key);
        if (text is null || text.Length == 0)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw Error($"'{key}' expected type 'int', got unconvertible type 'string', value: '{text}'");
    }

    public double Double(string key, double fallback)
    {
        var text = String(key);
        if (text is null || text.Length == 0)
        {
            return fallback;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw Error($"'{key}' expected type 'float64', got unconvertible type 'string', value: '{text}'");
    }

    public bool Bool(string key, bool fallback)
    {
        var text = String(key);
        return text switch
        {
            null or "" => fallback,
            "true" or "True" or "TRUE" => true,
            "false" or "False" or "FALSE" => false,
            _ => throw Error($"'{key}' expected type 'bool', got unconvertible type 'string', value: '{text}'"),
        };
    }

    /// <summary>A Go duration (<c>200ms</c>, <c>5s</c>); upstream's mapstructure hook uses time.ParseDuration.</summary>
    public TimeSpan Duration(string key, TimeSpan fallback)
    {
        var text = String(key);
        if (text is null || text.Length == 0)
        {
            return fallback;
        }

        return GoDuration.TryParse(text, out var d, out var error) ? d : throw Error($"'{key}' {error}");
    }

    public IReadOnlyDictionary<string, string> StringMap(string key)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Child(key) is YamlMappingNode map)
        {
            foreach (var (k, v) in map.Children)
            {
                result[((YamlScalarNode)k).Value ?? string.Empty] = (v as YamlScalarNode)?.Value ?? string.Empty;
            }
        }

        return result;
    }

    public IReadOnlyList<string> StringList(string key) =>
        Child(key) is YamlSequenceNode seq ? [.. seq.Children.OfType<YamlScalarNode>().Select(s => s.Value ?? string.Empty)] : [];

    public CollectorStartException Error(string detail) => new($"error reading configuration for \"{id}\": {detail}");

    private YamlNode? Child(string key)
    {
        if (node is null || !node.Children.TryGetValue(new YamlScalarNode(key), out var child))
        {
            return null;
        }

        // `key:` with nothing (or ~/null) is YAML null: the default applies, as in confmap.
        return child is YamlScalarNode { Value: null or "" or "~" or "null", Style: YamlDotNet.Core.ScalarStyle.Plain } ? null : child;
    }
}
