using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace OtelLab.Model.Go;

/// <summary>
/// Go's <c>regexp.Expand</c> template rules (go/src/regexp/regexp.go, expand/extract): <c>$name</c> takes the longest
/// run of letters, digits and '_' (so <c>$1_x</c> names group "1_x" and expands to ""), <c>${name}</c> delimits it,
/// <c>$$</c> is a literal '$', an all-digit name without a leading zero is a group number, and a malformed
/// reference leaves the '$' as text.
/// </summary>
internal static class GoRegexpExpand
{
    public static string Expand(string template, Match match, IReadOnlyList<string> groupNames)
    {
        var output = new StringBuilder(template.Length + 16);
        var rest = template.AsSpan();
        while (rest.Length > 0)
        {
            var dollar = rest.IndexOf('$');
            if (dollar < 0)
            {
                break;
            }

            output.Append(rest[..dollar]);
            rest = rest[(dollar + 1)..];
            if (rest.Length > 0 && rest[0] == '$')
            {
                output.Append('$');
                rest = rest[1..];
                continue;
            }

            if (!TryExtract(rest, out var name, out var number, out var consumed))
            {
                output.Append('$');
                continue;
            }

            rest = rest[consumed..];
            if (number >= 0)
            {
                if (number < match.Groups.Count && match.Groups[number].Success)
                {
                    output.Append(match.Groups[number].ValueSpan);
                }
            }
            else
            {
                for (var i = 0; i < groupNames.Count; i++)
                {
                    if (groupNames[i].Length > 0 && groupNames[i] == name && i < match.Groups.Count && match.Groups[i].Success)
                    {
                        output.Append(match.Groups[i].ValueSpan);
                        break;
                    }
                }
            }
        }

        output.Append(rest);
        return output.ToString();
    }

    private static bool TryExtract(ReadOnlySpan<char> text, out string name, out int number, out int consumed)
    {
        name = "";
        number = -1;
        consumed = 0;
        var brace = text.Length > 0 && text[0] == '{';
        var start = brace ? 1 : 0;
        var i = start;
        while (i < text.Length)
        {
            if (char.IsSurrogate(text[i]) && i + 1 < text.Length && char.IsSurrogatePair(text[i], text[i + 1]))
            {
                var category = CharUnicodeInfo.GetUnicodeCategory(char.ConvertToUtf32(text[i], text[i + 1]));
                if (!IsLetterOrDigit(category))
                {
                    break;
                }

                i += 2;
                continue;
            }

            if (!char.IsLetterOrDigit(text[i]) && text[i] != '_')
            {
                break;
            }

            i++;
        }

        if (i == start)
        {
            return false;
        }

        name = text[start..i].ToString();
        if (brace)
        {
            if (i >= text.Length || text[i] != '}')
            {
                return false;
            }

            i++;
        }

        number = 0;
        foreach (var c in name)
        {
            if (c is < '0' or > '9' || number >= 100_000_000)
            {
                number = -1;
                break;
            }

            number = (number * 10) + (c - '0');
        }

        if (name[0] == '0' && name.Length > 1)
        {
            number = -1;
        }

        consumed = i;
        return true;
    }

    private static bool IsLetterOrDigit(UnicodeCategory category) => category is UnicodeCategory.UppercaseLetter
        or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter or UnicodeCategory.ModifierLetter
        or UnicodeCategory.OtherLetter or UnicodeCategory.DecimalDigitNumber;
}
