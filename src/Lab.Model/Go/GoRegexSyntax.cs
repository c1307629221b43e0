using System.Text;
using System.Text.RegularExpressions;

namespace OtelLab.Model.Go;

/// <summary>
/// Rewrites an RE2 (Go regexp) expression for .NET: named groups become plain groups so that .NET numbers every group
/// left to right as Go does (.NET would number named groups after the unnamed ones), and their names are returned by
/// index for template expansion. The Perl constructs RE2 does not have and .NET does — lookarounds, atomic groups,
/// conditionals, inline comments, backreferences, <c>\G</c> — are refused with Go's parse error (regexp/syntax
/// parse.go: parsePerlFlags and parseEscape; <c>Error.Error()</c> is "error parsing regexp: CODE: `EXPR`"), so an
/// expression a collector would refuse to load is refused here too instead of matching.
/// </summary>
internal static class GoRegexSyntax
{
    /// <summary>
    /// A relabel regex compiled as Prometheus's <c>relabel.NewRegexp</c> compiles it: fully anchored, <c>^(?:expr)$</c>.
    /// Throws <see cref="ArgumentException"/> with the reason (Go's parse error for what RE2 refuses) when invalid.
    /// </summary>
    public static (Regex Regex, string[] GroupNames) CompileRelabel(string expression, TimeSpan matchTimeout)
    {
        var (pattern, names) = Translate(expression, compiledTail: ")$");
        try
        {
            // Go's `$` (without multi-line) is end of text, which is .NET's `\z`. `(?:`, not `(?s:`: the collector
            // 0.105's Prometheus (2.53) anchors so, `.` not matching a newline; Prometheus 3.0 changed it to `(?s:`
            // (prometheus/prometheus pull 14540, model/relabel NewRegexp).
            return (new Regex("^(?:" + pattern + @")\z", RegexOptions.CultureInvariant, matchTimeout), names);
        }
        catch (RegexParseException e) when (e.Error is RegexParseError.InsufficientClosingParentheses or RegexParseError.InsufficientOpeningParentheses)
        {
            // parse.go: an unbalanced parenthesis is reported with the whole expression compiled — anchored, as
            // NewRegexp compiles it.
            throw Error(e.Error == RegexParseError.InsufficientClosingParentheses ? "missing closing )" : "unexpected )", "^(?:" + expression + ")$");
        }
    }

    private static readonly System.Buffers.SearchValues<char> CaptureNameCharacters =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");

    /// <param name="expression">The expression as written.</param>
    /// <param name="compiledTail">What the caller compiles after it (<c>)$</c> for an anchored relabel regex): Go quotes
    /// the rest of the compiled text in some errors, so the rest of the expression is quoted with it.</param>
    public static (string Pattern, string[] GroupNames) Translate(string expression, string compiledTail = "")
    {
        var output = new StringBuilder(expression.Length);
        var names = new List<string> { "" };
        var inClass = false;
        for (var i = 0; i < expression.Length; i++)
        {
            var c = expression[i];
            if (c == '\\' && i + 1 < expression.Length)
            {
                RefuseEscape(expression, i);
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
            RefusePerlGroup(expression, i, compiledTail);
            var nameStart = rest.StartsWith("?P<") ? 3 : rest.StartsWith("?<") && !rest.StartsWith("?<=") && !rest.StartsWith("?<!") ? 2 : -1;
            if (nameStart > 0)
            {
                // parse.go parsePerlFlags: no `>` → the rest of the expression is quoted; a name that is not
                // [letters, digits, _]+ (isValidCaptureName) → the group's opening up to its `>`.
                var close = rest[nameStart..].IndexOf('>');
                if (close < 0)
                {
                    throw Error("invalid named capture", expression[i..] + compiledTail);
                }

                var name = rest.Slice(nameStart, close);
                if (name.IsEmpty || name.ContainsAnyExcept(CaptureNameCharacters))
                {
                    throw Error("invalid named capture", expression.Substring(i, 1 + nameStart + close + 1));
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

    // parseEscape: a single digit 1-9 not followed by an octal digit is a backreference ("not supported"), and letters
    // RE2 gives no meaning to — \k (.NET's named backreference), \G — are invalid escapes.
    private static void RefuseEscape(string expression, int at)
    {
        var c = expression[at + 1];
        var backreference = c is >= '1' and <= '9' && (c is '8' or '9' || at + 2 >= expression.Length || expression[at + 2] is < '0' or > '7');
        if (backreference || c is 'k' or 'G')
        {
            throw Error("invalid escape sequence", expression.Substring(at, 2));
        }
    }

    // parsePerlFlags: after "(?", a name ("P<", and "<" since Go 1.22) or flags ending in ':' or ')'; any other character
    // ends the group's syntax there: "(?=" (lookahead), "(?!", "(?>" (atomic), "(?(" (conditional), "(?#" (comment).
    // "(?<=" and "(?<!" read as a named group whose name is not one.
    private static void RefusePerlGroup(string expression, int at, string compiledTail)
    {
        var rest = expression.AsSpan(at);
        if (!rest.StartsWith("(?") || rest.Length < 3)
        {
            return;
        }

        if (rest.StartsWith("(?<=") || rest.StartsWith("(?<!"))
        {
            var end = rest.IndexOf('>');
            throw Error("invalid named capture", end < 0 ? rest.ToString() + compiledTail : rest[..(end + 1)].ToString());
        }

        for (var j = 2; j < rest.Length; j++)
        {
            var c = rest[j];
            if (c is ':' or ')' || (j == 2 && (c == '<' || (c == 'P' && rest[3..].StartsWith("<")))))
            {
                return;
            }

            if (c is not ('i' or 'm' or 's' or 'U' or '-'))
            {
                throw Error("invalid or unsupported Perl syntax", rest[..(j + 1)].ToString());
            }
        }
    }

    private static ArgumentException Error(string code, string expr) => new($"error parsing regexp: {code}: `{expr}`");
}
