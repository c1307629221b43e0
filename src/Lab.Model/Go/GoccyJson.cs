using System.Globalization;
using System.Text;

namespace OtelLab.Model.Go;

/// <summary>
/// Compact JSON the way Go's encoding/json (and goccy/go-json, which the TA uses) writes it: map keys sorted by byte
/// order, '&lt;', '&gt;', '&amp;', U+2028 and U+2029 escaped as \u00XX/\u20XX (HTML-safe), other control characters as
/// \n, \r, \t or \u00XX, everything else verbatim.
/// </summary>
internal static class GoccyJson
{
    public static StringBuilder String(StringBuilder output, string value)
    {
        output.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"':
                    output.Append("\\\"");
                    break;
                case '\\':
                    output.Append("\\\\");
                    break;
                case '\n':
                    output.Append("\\n");
                    break;
                case '\r':
                    output.Append("\\r");
                    break;
                case '\t':
                    output.Append("\\t");
                    break;
                case '<' or '>' or '&' or '\u2028' or '\u2029':
                case < ' ':
                    output.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    output.Append(c);
                    break;
            }
        }

        return output.Append('"');
    }

    /// <summary>Writes an object from key/value writers, keys sorted ordinally (Go sorts map keys).</summary>
    public static StringBuilder Map<T>(StringBuilder output, IEnumerable<KeyValuePair<string, T>> entries, Action<StringBuilder, T> writeValue)
    {
        output.Append('{');
        var first = true;
        foreach (var (key, value) in entries.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (!first)
            {
                output.Append(',');
            }

            first = false;
            String(output, key).Append(':');
            writeValue(output, value);
        }

        return output.Append('}');
    }

    /// <summary>Writes a JSON array.</summary>
    public static StringBuilder Array<T>(StringBuilder output, IEnumerable<T> items, Action<StringBuilder, T> writeItem)
    {
        output.Append('[');
        var first = true;
        foreach (var item in items)
        {
            if (!first)
            {
                output.Append(',');
            }

            first = false;
            writeItem(output, item);
        }

        return output.Append(']');
    }
}
