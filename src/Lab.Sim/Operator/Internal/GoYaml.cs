using System.Globalization;
using System.Text;

namespace OtelLab.Sim.Operator.Internal;

/// <summary>
/// YAML as Go's <c>gopkg.in/yaml.v2</c> Marshal writes a <c>map[interface{}]interface{}</c> tree: block style,
/// two-space indentation, sequence items at their parent key's indentation, map keys in yaml.v2's natural order
/// (sorter.go), strings quoted only when they would otherwise read as another type or cannot be plain, multi-line
/// strings as literal blocks, empty collections as <c>{}</c> / <c>[]</c>. The TA's <c>targetallocator.yaml</c> is
/// produced this way (internal/manifests/targetallocator/configmap.go), so its text matches upstream byte for byte;
/// the operator writes <c>collector.yaml</c> with yaml.v3/go-yaml, whose output differs only in whitespace style.
/// </summary>
internal static class GoYaml
{
    /// <summary>A value yaml.v2 emits in flow style as is (a <c>null</c> selector, <c>[]</c>).</summary>
    public static string Serialize(object? value, IReadOnlyList<string>? topLevelOrder = null)
    {
        var sb = new StringBuilder();
        if (value is Dictionary<string, object?> map && map.Count > 0)
        {
            WriteMap(sb, map, 0, topLevelOrder);
        }
        else
        {
            sb.Append(Scalar(value)).Append('\n');
        }

        return sb.ToString();
    }

    private static void WriteMap(StringBuilder sb, Dictionary<string, object?> map, int indent, IReadOnlyList<string>? order = null)
    {
        var keys = order is null
            ? Keys(map)
            : order.Where(map.ContainsKey).Concat(map.Keys.Where(k => !order.Contains(k)).Order(NaturalKeyComparer.Instance));
        foreach (var key in keys)
        {
            sb.Append(' ', indent).Append(Scalar(key)).Append(':');
            WriteValue(sb, map[key], indent, inSequence: false);
        }
    }

    private static void WriteValue(StringBuilder sb, object? value, int indent, bool inSequence)
    {
        switch (value)
        {
            case Dictionary<string, object?> { Count: > 0 } child:
                if (inSequence)
                {
                    // "- key: value" with the rest of the mapping aligned after "- ".
                    var first = true;
                    foreach (var key in Keys(child))
                    {
                        if (!first)
                        {
                            sb.Append(' ', indent + 2);
                        }

                        first = false;
                        sb.Append(Scalar(key)).Append(':');
                        WriteValue(sb, child[key], indent + 2, inSequence: false);
                    }
                }
                else
                {
                    sb.Append('\n');
                    WriteMap(sb, child, indent + 2);
                }

                break;
            case List<object?> { Count: > 0 } list:
                if (inSequence)
                {
                    WriteItems(sb, list, indent + 2, firstInline: true);
                }
                else
                {
                    sb.Append('\n');
                    WriteItems(sb, list, indent, firstInline: false);
                }

                break;
            case string s when s.Contains('\n', StringComparison.Ordinal):
                sb.Append(inSequence ? "|" : " |").Append(s.EndsWith('\n') ? string.Empty : "-").Append('\n');
                foreach (var line in s.TrimEnd('\n').Split('\n'))
                {
                    sb.Append(line.Length == 0 ? string.Empty : new string(' ', indent + 2) + line).Append('\n');
                }

                break;
            default:
                sb.Append(inSequence ? string.Empty : " ").Append(Scalar(value)).Append('\n');
                break;
        }
    }

    private static IEnumerable<string> Keys(Dictionary<string, object?> map) =>
        map is GoStructMap ? map.Keys : map.Keys.Order(NaturalKeyComparer.Instance);

    private static void WriteItems(StringBuilder sb, List<object?> list, int indent, bool firstInline)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (!(firstInline && i == 0))
            {
                sb.Append(' ', indent);
            }

            sb.Append("- ");
            WriteValue(sb, list[i], indent, inSequence: true);
        }
    }

    private static string Scalar(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        long or int => Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
        double d => double.IsPositiveInfinity(d) ? ".inf" : double.IsNegativeInfinity(d) ? "-.inf" : double.IsNaN(d) ? ".nan" : d.ToString("R", CultureInfo.InvariantCulture).Replace("E", "e", StringComparison.Ordinal),
        Dictionary<string, object?> => "{}",
        List<object?> => "[]",
        string s => Quote(s),
        _ => Quote(Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty),
    };

    /// <summary>yaml.v2 encode.go stringv: double quotes when plain would resolve to another type; libyaml's analyzer decides plain vs single quotes.</summary>
    private static string Quote(string s)
    {
        if (ConfigTree.Resolve(s) is not string)
        {
            return "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
        }

        return PlainAllowed(s) ? s : "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'";
    }

    // libyaml emitter.c yaml_emitter_analyze_scalar, block context.
    private static bool PlainAllowed(string s)
    {
        if (s.Length == 0 || s[0] == ' ' || s[^1] == ' ' || s.StartsWith("---", StringComparison.Ordinal) || s.StartsWith("...", StringComparison.Ordinal))
        {
            return false;
        }

        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            var next = i + 1 < s.Length ? s[i + 1] : ' ';
            var followedBySpace = next is ' ' or '\t';
            if (i == 0)
            {
                if (c is '#' or ',' or '[' or ']' or '{' or '}' or '&' or '*' or '!' or '|' or '>' or '\'' or '"' or '%' or '@' or '`')
                {
                    return false;
                }

                if (c is '?' or ':' or '-' && followedBySpace)
                {
                    return false;
                }
            }
            else
            {
                if (c == ':' && followedBySpace)
                {
                    return false;
                }

                if (c == '#' && s[i - 1] is ' ' or '\t')
                {
                    return false;
                }
            }

            if (c is '\t' or '\r' || c < ' ')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>yaml.v2 sorter.go keyList.Less for string keys: letters after non-letters, digit runs compared as numbers.</summary>
    private sealed class NaturalKeyComparer : IComparer<string>
    {
        public static readonly NaturalKeyComparer Instance = new();

        public int Compare(string? x, string? y)
        {
            if (x == y)
            {
                return 0;
            }

            return Less(x!, y!) ? -1 : 1;
        }

        private static bool Less(string a, string b)
        {
            for (var i = 0; i < a.Length && i < b.Length; i++)
            {
                if (a[i] == b[i])
                {
                    continue;
                }

                var al = char.IsLetter(a[i]);
                var bl = char.IsLetter(b[i]);
                if (al && bl)
                {
                    return a[i] < b[i];
                }

                if (al || bl)
                {
                    return bl;
                }

                long an = 0, bn = 0;
                if (a[i] == '0' || b[i] == '0')
                {
                    for (var j = i - 1; j >= 0 && char.IsDigit(a[j]); j--)
                    {
                        if (a[j] != '0')
                        {
                            an = 1;
                            bn = 1;
                            break;
                        }
                    }
                }

                int ai, bi;
                for (ai = i; ai < a.Length && char.IsDigit(a[ai]); ai++)
                {
                    an = (an * 10) + (a[ai] - '0');
                }

                for (bi = i; bi < b.Length && char.IsDigit(b[bi]); bi++)
                {
                    bn = (bn * 10) + (b[bi] - '0');
                }

                if (an != bn)
                {
                    return an < bn;
                }

                if (ai != bi)
                {
                    return ai < bi;
                }

                return a[i] < b[i];
            }

            return a.Length < b.Length;
        }
    }
}
