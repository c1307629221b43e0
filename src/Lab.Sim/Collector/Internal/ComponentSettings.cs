using System.Globalization;
using OtelLab.Sim.Collector.Pipeline;
using YamlDotNet.RepresentationModel;

namespace OtelLab.Sim.Collector.Internal;

/// <summary>
/// Typed reads of one component's YAML settings for its factory. Unknown keys and wrong types are refused before any
/// factory runs, by the config decoder (<see cref="OtelLab.Model.Collector.Decoding.ConfigDecoder"/>, from the
/// collector's start); what is left here are the semantic checks a factory makes (upstream Config.Validate or a
/// lab limit), reported as <see cref="CollectorStartException"/> with the component id and the file position.
/// </summary>
internal sealed class ComponentSettings(ComponentCreateContext context)
{
    public YamlMappingNode? Root => context.Settings;

    public CollectorStartException Error(YamlNode? node, string message)
    {
        var where = node is null ? string.Empty : context.Config.LocationOf(node) + ": ";
        return new CollectorStartException($"{where}error decoding '{KindSection}': decoding failed due to the following error(s): '{context.Id}' {message}");
    }

    private string KindSection => context.Kind.ToString().ToLowerInvariant() + "s";

    public static YamlNode? Child(YamlMappingNode? node, string key)
    {
        if (node is null)
        {
            return null;
        }

        foreach (var (k, v) in node.Children)
        {
            if (((YamlScalarNode)k).Value == key)
            {
                return IsNull(v) ? null : v;
            }
        }

        return null;
    }

    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode s && s.Style == YamlDotNet.Core.ScalarStyle.Plain && (s.Value is null or "" or "~" or "null");

    public YamlMappingNode? Mapping(YamlMappingNode? node, string key, string path) => Child(node, key) switch
    {
        null => null,
        YamlMappingNode m => m,
        var other => throw Error(other, $"'{path}' expected a map, got '{Describe(other)}'"),
    };

    public IReadOnlyList<YamlNode> Sequence(YamlMappingNode? node, string key, string path) => Child(node, key) switch
    {
        null => [],
        YamlSequenceNode s => s.Children.ToList(),
        var other => throw Error(other, $"'{path}' source data must be an array or slice, got {Describe(other)}"),
    };

    public string? String(YamlMappingNode? node, string key, string path) => Child(node, key) switch
    {
        null => null,
        YamlScalarNode s => s.Value ?? string.Empty,
        var other => throw Error(other, $"'{path}' expected type 'string', got unconvertible type '{Describe(other)}'"),
    };

    public IReadOnlyList<string> Strings(YamlMappingNode? node, string key, string path) =>
        Sequence(node, key, path).Select(n => n is YamlScalarNode s ? s.Value ?? string.Empty : throw Error(n, $"'{path}' expected a list of strings")).ToList();

    public bool? Bool(YamlMappingNode? node, string key, string path)
    {
        var value = String(node, key, path);
        return value switch
        {
            null => null,
            "true" or "True" or "TRUE" => true,
            "false" or "False" or "FALSE" => false,
            _ => throw Error(Child(node, key), $"'{path}' expected type 'bool', got unconvertible type 'string', value: '{value}'"),
        };
    }

    public int? Int(YamlMappingNode? node, string key, string path)
    {
        var value = String(node, key, path);
        return value is null ? null
            : int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i
            : throw Error(Child(node, key), $"'{path}' expected type 'int', got unconvertible type 'string', value: '{value}'");
    }

    /// <summary>A Go duration (<c>5s</c>, <c>1m30s</c>) as mapstructure's StringToTimeDurationHookFunc parses it.</summary>
    public TimeSpan? Duration(YamlMappingNode? node, string key, string path)
    {
        var value = String(node, key, path);
        if (value is null)
        {
            return null;
        }

        return global::OtelLab.Model.Go.GoDuration.TryParse(value, out var d, out var error)
            ? d
            : throw Error(Child(node, key), $"'{path}' {error}");
    }

    private static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "map[string]interface {}",
        YamlSequenceNode => "[]interface {}",
        _ => "string",
    };
}
