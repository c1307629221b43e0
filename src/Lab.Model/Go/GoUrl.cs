using System.Text;

namespace OtelLab.Model.Go;

/// <summary>Go's net/url QueryEscape, QueryUnescape and ParseQuery, which the TA server uses for job names and ids.</summary>
internal static class GoUrl
{
    /// <summary>Escapes all but A–Z a–z 0–9 - _ . ~; space becomes '+'; bytes are UTF-8, hex is upper-case.</summary>
    public static string QueryEscape(string value)
    {
        var output = new StringBuilder(value.Length + 8);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.' or '~')
            {
                output.Append(c);
            }
            else if (c == ' ')
            {
                output.Append('+');
            }
            else
            {
                output.Append('%').Append("0123456789ABCDEF"[b >> 4]).Append("0123456789ABCDEF"[b & 15]);
            }
        }

        return output.ToString();
    }

    /// <summary>Decodes %XX and '+' (as space); false on a malformed escape, as Go returns an error.</summary>
    public static bool TryQueryUnescape(string value, out string result)
    {
        var bytes = new List<byte>(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '%')
            {
                if (i + 2 >= value.Length || !IsHex(value[i + 1]) || !IsHex(value[i + 2]))
                {
                    result = "";
                    return false;
                }

                bytes.Add((byte)((Hex(value[i + 1]) << 4) | Hex(value[i + 2])));
                i += 2;
            }
            else if (c == '+')
            {
                bytes.Add((byte)' ');
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
            }
        }

        result = Encoding.UTF8.GetString([.. bytes]);
        return true;
    }

    /// <summary>Parses a raw query into values per key (pairs with ';' or bad escapes are skipped, as Go does).</summary>
    public static Dictionary<string, List<string>> ParseQuery(string rawQuery)
    {
        var values = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var pair in rawQuery.Split('&'))
        {
            if (pair.Length == 0 || pair.Contains(';', StringComparison.Ordinal))
            {
                continue;
            }

            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var rawKey = eq < 0 ? pair : pair[..eq];
            var rawValue = eq < 0 ? "" : pair[(eq + 1)..];
            if (!TryQueryUnescape(rawKey, out var key) || !TryQueryUnescape(rawValue, out var value))
            {
                continue;
            }

            if (!values.TryGetValue(key, out var list))
            {
                list = [];
                values[key] = list;
            }

            list.Add(value);
        }

        return values;
    }

    private static bool IsHex(char c) => c is (>= '0' and <= '9') or (>= 'a' and <= 'f') or (>= 'A' and <= 'F');

    private static int Hex(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
