using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OtelLab.Sim.Operator.Internal;

/// <summary>
/// A YAML tree as Go sees it after <c>kubectl apply</c> (sigs.k8s.io/yaml → JSON) and the operator's unmarshal:
/// mappings become <see cref="Dictionary{TKey,TValue}"/> (string keys), sequences <see cref="List{T}"/>, plain
/// scalars resolve with YAML 1.1 rules (yaml.v2: <c>yes/no/on/off</c> are booleans) to bool, long, double or null,
/// quoted scalars stay strings.
/// </summary>
internal static partial class ConfigTree
{
    [GeneratedRegex(@"^[-+]?(0|[1-9][0-9_]*)$")]
    private static partial Regex IntPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();

    public static object? From(YamlNode? node) => node switch
    {
        null => null,
        YamlMappingNode map => map.Children.ToDictionary(
            kv => ((YamlScalarNode)kv.Key).Value ?? string.Empty,
            kv => From(kv.Value),
            StringComparer.Ordinal),
        YamlSequenceNode seq => seq.Children.Select(From).ToList(),
        YamlScalarNode s when s.Style is ScalarStyle.Plain => Resolve(s.Value ?? string.Empty),
        YamlScalarNode s => s.Value ?? string.Empty,
        _ => null,
    };

    /// <summary>yaml.v2 resolve(): what a plain scalar means.</summary>
    public static object? Resolve(string text)
    {
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "y" or "Y" or "yes" or "Yes" or "YES" or "true" or "True" or "TRUE" or "on" or "On" or "ON":
                return true;
            case "n" or "N" or "no" or "No" or "NO" or "false" or "False" or "FALSE" or "off" or "Off" or "OFF":
                return false;
            case ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF":
                return double.PositiveInfinity;
            case "-.inf" or "-.Inf" or "-.INF":
                return double.NegativeInfinity;
            case ".nan" or ".NaN" or ".NAN":
                return double.NaN;
        }

        if (IntPattern().IsMatch(text) && long.TryParse(text.Replace("_", string.Empty, StringComparison.Ordinal), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
        {
            return l;
        }

        if (text.StartsWith("0x", StringComparison.Ordinal) && long.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
        {
            return hex;
        }

        if (FloatPattern().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            return d;
        }

        return text;
    }

    /// <summary>A deep copy (the operator mutates its own copy of the config).</summary>
    public static object? Copy(object? value) => value switch
    {
        Dictionary<string, object?> map => map.ToDictionary(kv => kv.Key, kv => Copy(kv.Value), StringComparer.Ordinal),
        List<object?> list => list.Select(Copy).ToList(),
        _ => value,
    };

    public static Dictionary<string, object?>? Map(object? parent, string key) =>
        parent is Dictionary<string, object?> map && map.TryGetValue(key, out var v) ? v as Dictionary<string, object?> : null;

    public static Dictionary<string, object?> EnsureMap(Dictionary<string, object?> parent, string key)
    {
        if (parent.TryGetValue(key, out var v) && v is Dictionary<string, object?> existing)
        {
            return existing;
        }

        var created = new Dictionary<string, object?>(StringComparer.Ordinal);
        parent[key] = created;
        return created;
    }
}
