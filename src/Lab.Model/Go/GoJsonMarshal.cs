using System.Globalization;
using System.Text;

namespace OtelLab.Model.Go;

/// <summary>
/// JSON as Go's <c>encoding/json.Marshal</c> writes it for <c>map[string]any</c> trees: keys sorted by bytes, no
/// spaces, <c>&lt; &gt; &amp;</c> and U+2028/U+2029 escaped as <c>\u003c</c> …, floats in the shortest form
/// (<c>8192</c>, <c>0.5</c>, <c>1e+21</c>). The operator hashes this text (manifestutils.GetConfigMapSHA).
/// Separate from GoccyJson (goccy/go-json, typed writers): this one serialises whole config trees and
/// writes \b and \f short, as encoding/json does since Go 1.22.
/// </summary>
internal static class GoJsonMarshal
{
    public static string Serialize(object? value)
    {
        var sb = new StringBuilder();
        Write(sb, value);
        return sb.ToString();
    }

    public static void Write(StringBuilder sb, object? value)
    {
        switch (value)
        {
            case null:
                sb.Append("null");
                break;
            case bool b:
                sb.Append(b ? "true" : "false");
                break;
            case string s:
                WriteString(sb, s);
                break;
            case long or int:
                sb.Append(Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture));
                break;
            case double d:
                sb.Append(Float(d));
                break;
            case Dictionary<string, object?> map:
                sb.Append('{');
                var first = true;
                foreach (var key in map.Keys.Order(StringComparer.Ordinal))
                {
                    if (!first)
                    {
                        sb.Append(',');
                    }

                    first = false;
                    WriteString(sb, key);
                    sb.Append(':');
                    Write(sb, map[key]);
                }

                sb.Append('}');
                break;
            case System.Collections.IEnumerable list:
                sb.Append('[');
                var firstItem = true;
                foreach (var item in list)
                {
                    if (!firstItem)
                    {
                        sb.Append(',');
                    }

                    firstItem = false;
                    Write(sb, item);
                }

                sb.Append(']');
                break;
            default:
                WriteString(sb, Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty);
                break;
        }
    }

    // Go: strconv.FormatFloat(f, 'f', -1, 64) when 1e-6 <= |f| < 1e21, else 'e' with a two-digit minimum exponent.
    private static string Float(double d)
    {
        // JSON numbers from the API server decode to float64 in Go; integral values print without a fraction.
        var abs = Math.Abs(d);
        if (abs == 0 || (abs >= 1e-6 && abs < 1e21))
        {
            return d.ToString("R", CultureInfo.InvariantCulture) is var r && r.Contains('E', StringComparison.Ordinal)
                ? decimal.Parse(r, NumberStyles.Float, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture)
                : r;
        }

        var e = d.ToString("R", CultureInfo.InvariantCulture).ToLowerInvariant();
        var mark = e.IndexOf('e', StringComparison.Ordinal);
        var mantissa = e[..mark];
        var exponent = int.Parse(e[(mark + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        return $"{mantissa}e{(exponent < 0 ? "-" : "+")}{Math.Abs(exponent):00}";
    }

    private static void WriteString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"':
                    sb.Append("\\\"");
                    break;
                case '\\':
                    sb.Append("\\\\");
                    break;
                case '\n':
                    sb.Append("\\n");
                    break;
                case '\r':
                    sb.Append("\\r");
                    break;
                case '\t':
                    sb.Append("\\t");
                    break;
                case '\b':
                    sb.Append("\\b");
                    break;
                case '\f':
                    sb.Append("\\f");
                    break;
                case '<' or '>' or '&' or '\u2028' or '\u2029':
                    sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                case < ' ':
                    sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    sb.Append(c);
                    break;
            }
        }

        sb.Append('"');
    }
}
