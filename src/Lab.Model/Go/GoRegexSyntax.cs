using System.Text;

namespace OtelLab.Model.Go;

/// <summary>
/// Rewrites an RE2 (Go regexp) expression for .NET: named groups become plain groups so that .NET numbers every group
/// left to right as Go does (.NET would number named groups after the unnamed ones), and their names are returned by
/// index for template expansion.
/// </summary>
internal static class GoRegexSyntax
{
    public static (string Pattern, string[] GroupNames) Translate(string expression)
    {
        var output = new StringBuilder(expression.Length);
        var names = new List<string> { "" };
        var inClass = false;
        for (var i = 0; i < expression.Length; i++)
        {
            var c = expression[i];
            if (c == '\\' && i + 1 < expression.Length)
            {
                output.Append(c).Append(expression[i + 1]);
                i++;
                continue;
            }

            if (inClass)
            {
                inClass = c != ']';
                output.Append(c);
                continue;
            }

            if (c == '[')
            {
                inClass = true;
                output.Append(c);
                // A ']' right after '[' or '[^' is a literal member of the class.
                if (i + 1 < expression.Length && expression[i + 1] == '^')
                {
                    output.Append('^');
                    i++;
                }

                if (i + 1 < expression.Length && expression[i + 1] == ']')
                {
                    output.Append(']');
                    i++;
                }

                continue;
            }

            if (c != '(')
            {
                output.Append(c);
                continue;
            }

            var rest = expression.AsSpan(i + 1);
            var nameStart = rest.StartsWith("?P<") ? 3 : rest.StartsWith("?<") && !rest.StartsWith("?<=") && !rest.StartsWith("?<!") ? 2 : -1;
            if (nameStart > 0)
            {
                var close = rest[nameStart..].IndexOf('>');
                if (close < 0)
                {
                    throw new ArgumentException($"invalid named capture in \"{expression}\"", nameof(expression));
                }

                names.Add(rest.Slice(nameStart, close).ToString());
                output.Append('(');
                i += nameStart + close + 1;
                continue;
            }

            if (!rest.StartsWith("?"))
            {
                names.Add("");
            }

            output.Append('(');
        }

        return (output.ToString(), [.. names]);
    }
}
