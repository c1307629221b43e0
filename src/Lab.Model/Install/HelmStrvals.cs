using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace OtelLab.Model.Install;

/// <summary>
/// Helm's <c>--set</c> syntax, ported from helm pkg/strvals/parser.go (ParseInto): dotted keys make maps,
/// <c>name[i]</c> indexes lists, <c>{a,b}</c> is a list, <c>,</c> separates assignments, <c>\</c> escapes the next
/// character, and values are typed as typedVal types them. Errors throw <see cref="FormatException"/> with the parser's
/// text (<c>key "a" has no value</c>).
/// </summary>
public sealed class HelmStrvals
{
    // upstream: strvals.MaxIndex — a larger index is refused rather than allocating a huge list.
    private const int MaxIndex = 65536;

    private readonly string _text;
    private int _pos;

    private HelmStrvals(string text) => _text = text;

    /// <summary>Parses <paramref name="expression"/> and sets its keys in <paramref name="values"/>.</summary>
    public static void ParseInto(string expression, JsonObject values)
    {
        var parser = new HelmStrvals(expression);
        while (parser.Key(values))
        {
        }
    }

    /// <summary>The key paths an expression sets (<c>a.b=1,c[0]=2</c> → <c>a.b</c>, <c>c</c>), for locating findings.</summary>
    public static IReadOnlyList<string[]> Paths(string expression)
    {
        var values = new JsonObject();
        ParseInto(expression, values);
        var paths = new List<string[]>();
        Collect(values, [], paths);
        return paths;
    }

    /// <summary>
    /// How Helm types an unquoted value. upstream: strvals typedVal — true/false/null case-insensitively, "0", and
    /// int64 unless it starts with 0; everything else (floats included) stays a string.
    /// </summary>
    public static JsonNode? TypedValue(string value)
    {
        if (value.Equals("true", StringComparison.OrdinalIgnoreCase))
        {
            return JsonValue.Create(true);
        }

        if (value.Equals("false", StringComparison.OrdinalIgnoreCase))
        {
            return JsonValue.Create(false);
        }

        if (value.Equals("null", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (value == "0")
        {
            return JsonValue.Create(0L);
        }

        return value.Length > 0 && value[0] != '0' && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)
            ? JsonValue.Create(l)
            : JsonValue.Create(value);
    }

    private static void Collect(JsonNode? node, List<string> prefix, List<string[]> paths)
    {
        if (node is JsonObject o && o.Count > 0)
        {
            foreach (var (key, child) in o)
            {
                Collect(child, [.. prefix, key], paths);
            }
        }
        else
        {
            paths.Add([.. prefix]);
        }
    }

    // Returns false at the end of the input.
    private bool Key(JsonObject data)
    {
        var (key, stop) = RunesUntil("=[,.");
        switch (stop)
        {
            case null when key.Length == 0:
                return false;
            case null:
                throw new FormatException($"key \"{key}\" has no value");
            case ',':
                throw new FormatException($"key \"{key}\" has no value (cannot end with ,)");
            case '=':
                if (Peek() == '{')
                {
                    _pos++;
                    data[key] = List();
                    return Next() switch
                    {
                        null => false,
                        ',' => true,
                        var c => throw new FormatException($"unexpected character '{c}' after the list of key \"{key}\""),
                    };
                }

                var (value, end) = RunesUntil(",");
                data[key] = TypedValue(value);
                return end is not null;
            case '.':
                if (data[key] is not JsonObject inner)
                {
                    inner = [];
                    data[key] = inner;
                }

                return Key(inner);
            default: // '['
                var list = data[key] as JsonArray ?? [];
                data[key] = list;
                return ListItem(list, Index());
        }
    }

    private bool ListItem(JsonArray list, int index)
    {
        var stop = Next();
        switch (stop)
        {
            case null:
                throw new FormatException("set an index to what? (the expression ends after ])");
            case '=':
                Pad(list, index);
                if (Peek() == '{')
                {
                    _pos++;
                    list[index] = List();
                    return Next() is not null;
                }

                var (value, end) = RunesUntil(",");
                list[index] = TypedValue(value);
                return end is not null;
            case '.':
                Pad(list, index);
                if (list[index] is not JsonObject inner)
                {
                    inner = [];
                    list[index] = inner;
                }

                return Key(inner);
            case '[':
                Pad(list, index);
                if (list[index] is not JsonArray nested)
                {
                    nested = [];
                    list[index] = nested;
                }

                return ListItem(nested, Index());
            default:
                throw new FormatException($"parse error: unexpected '{stop}' after an index");
        }
    }

    private int Index()
    {
        var (digits, stop) = RunesUntil("]");
        if (stop is null)
        {
            throw new FormatException("error parsing index: missing ]");
        }

        if (!int.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var index))
        {
            throw new FormatException($"error parsing index: strconv.Atoi: parsing \"{digits}\": invalid syntax");
        }

        return index switch
        {
            < 0 => throw new FormatException($"negative {index} index not allowed"),
            > MaxIndex => throw new FormatException($"index of {index} is greater than maximum supported index {MaxIndex}"),
            _ => index,
        };
    }

    private JsonArray List()
    {
        var list = new JsonArray();
        while (true)
        {
            var (item, stop) = RunesUntil(",}");
            if (stop is null)
            {
                throw new FormatException("list must terminate with '}'");
            }

            if (stop == '}' && item.Length == 0 && list.Count == 0)
            {
                return list;
            }

            list.Add(TypedValue(item));
            if (stop == '}')
            {
                return list;
            }
        }
    }

    private static void Pad(JsonArray list, int index)
    {
        while (list.Count <= index)
        {
            list.Add(null);
        }
    }

    private (string Text, char? Stop) RunesUntil(string stops)
    {
        var text = new StringBuilder();
        while (_pos < _text.Length)
        {
            var c = _text[_pos++];
            if (c == '\\' && _pos < _text.Length)
            {
                text.Append(_text[_pos++]);
                continue;
            }

            if (stops.Contains(c, StringComparison.Ordinal))
            {
                return (text.ToString(), c);
            }

            text.Append(c);
        }

        return (text.ToString(), null);
    }

    private char? Peek() => _pos < _text.Length ? _text[_pos] : null;

    private char? Next() => _pos < _text.Length ? _text[_pos++] : null;
}
