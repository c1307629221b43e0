using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OtelLab.Model.Collector.Decoding;

/// <summary>
/// yaml.v3's resolution of untagged plain scalars (resolve.go): quoted or <c>!!str</c> scalars are strings; plain
/// ones are null (<c>~</c>, <c>null</c>, empty), bool (<c>true</c>/<c>false</c> in three casings), int (decimal,
/// <c>0x</c>, <c>0o</c>, <c>0b</c>), float (incl. <c>.inf</c>, <c>.nan</c>) or else a string. A leading zero
/// (<c>0123</c>) is kept a string, as confmap's e2e tests show for expanded values (<c>got unconvertible type 'string',
/// value: '0123'</c>); yaml.v3 reads such a literal in the file as a YAML 1.1 octal, which the lab does not model.
/// </summary>
public static partial class YamlScalars
{
    [GeneratedRegex("^[-+]?(0|[1-9][0-9_]*)$")]
    private static partial Regex Decimal();

    [GeneratedRegex("^[-+]?0(x[0-9a-fA-F_]+|o[0-7_]+|b[01_]+)$")]
    private static partial Regex Prefixed();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();

    [GeneratedRegex(@"^([-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$")]
    private static partial Regex Special();

    public static YamlScalarKind KindOf(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode:
                return YamlScalarKind.Mapping;
            case YamlSequenceNode:
                return YamlScalarKind.Sequence;
            case YamlScalarNode scalar:
                if (scalar.Style is not ScalarStyle.Plain and not ScalarStyle.Any || (!scalar.Tag.IsEmpty && !scalar.Tag.IsNonSpecific && scalar.Tag.Value.EndsWith(":str", StringComparison.Ordinal)))
                {
                    return YamlScalarKind.String;
                }

                var text = scalar.Value ?? string.Empty;
                return text switch
                {
                    "" or "~" or "null" or "Null" or "NULL" => YamlScalarKind.Null,
                    "true" or "True" or "TRUE" or "false" or "False" or "FALSE" => YamlScalarKind.Bool,
                    _ when Decimal().IsMatch(text) || Prefixed().IsMatch(text) => YamlScalarKind.Int,
                    _ when Float().IsMatch(text) || Special().IsMatch(text) => YamlScalarKind.Float,
                    _ => YamlScalarKind.String,
                };
            default:
                return YamlScalarKind.Null;
        }
    }

    /// <summary>The Go type name yaml.v3 decodes the value into (<c>reflect.TypeOf</c>).</summary>
    public static string GoTypeName(YamlScalarKind kind) => kind switch
    {
        YamlScalarKind.Int => "int",
        YamlScalarKind.Float => "float64",
        YamlScalarKind.Bool => "bool",
        YamlScalarKind.Sequence => "[]interface {}",
        YamlScalarKind.Mapping => "map[string]interface {}",
        _ => "string",
    };

    /// <summary>The Go <c>reflect.Kind</c> name of the value (<c>got '%s'</c> in "expected a map").</summary>
    public static string GoKindName(YamlScalarKind kind) => kind switch
    {
        YamlScalarKind.Int => "int",
        YamlScalarKind.Float => "float64",
        YamlScalarKind.Bool => "bool",
        YamlScalarKind.Sequence => "slice",
        YamlScalarKind.Mapping => "map",
        _ => "string",
    };

    /// <summary>The value as Go's <c>%v</c> prints it for scalars; ints in base 10 (<c>0x10</c> prints 16).</summary>
    public static string GoValue(YamlNode node)
    {
        if (node is not YamlScalarNode { Value: { } text })
        {
            return node is YamlSequenceNode ? "[...]" : "map[...]";
        }

        var kind = KindOf(node);
        if (kind == YamlScalarKind.Int)
        {
            return IntegerValue(text)?.ToString(CultureInfo.InvariantCulture) ?? text;
        }

        return kind == YamlScalarKind.Bool ? text.ToLowerInvariant() : text;
    }

    /// <summary>The integer a plain int scalar stands for, or null when it does not fit in 64 bits.</summary>
    public static long? IntegerValue(string text)
    {
        var clean = text.Replace("_", string.Empty, StringComparison.Ordinal);
        var negative = clean.StartsWith('-');
        var body = clean.TrimStart('-', '+');
        try
        {
            var value = body.Length > 1 && body[0] == '0'
                ? body[1] switch
                {
                    'x' => Convert.ToInt64(body[2..], 16),
                    'o' => Convert.ToInt64(body[2..], 8),
                    'b' => Convert.ToInt64(body[2..], 2),
                    _ => long.Parse(body, CultureInfo.InvariantCulture),
                }
                : long.Parse(body, CultureInfo.InvariantCulture);
            return negative ? -value : value;
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            return null;
        }
    }
}
