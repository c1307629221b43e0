using System.Globalization;
using System.Text;

namespace OtelLab.Sim.Vault.Internal.Templates;

/// <summary>
/// Splits a Go text/template into text and action items. Handles the trim markers (<c>{{- </c> removes the
/// whitespace before the action, <c> -}}</c> the whitespace after it; the space next to the dash is required),
/// <c>{{/* comments */}}</c>, quoted and raw strings, fields, variables and the pipeline punctuation.
/// upstream: go/src/text/template/parse/lex.go (lexLeftDelim, lexComment, lexInsideAction, trimMarker rules).
/// </summary>
internal sealed class TemplateLexer(string name, string text)
{
    private static readonly string[] Keywords = ["with", "range", "if", "else", "end", "template", "define", "block", "break", "continue"];

    private int _pos;
    private int _line = 1;
    private int _lineStart;

    public List<TemplateItem> Lex()
    {
        var items = new List<TemplateItem>();
        var trimNext = false;
        while (true)
        {
            var open = text.IndexOf("{{", _pos, StringComparison.Ordinal);
            var chunk = open < 0 ? text[_pos..] : text[_pos..open];
            if (trimNext)
            {
                chunk = chunk.TrimStart(' ', '\t', '\r', '\n');
            }

            if (open < 0)
            {
                AddText(items, chunk);
                return items;
            }

            var after = open + 2;
            var leftTrim = after + 1 < text.Length && text[after] == '-' && IsSpace(text[after + 1]);
            if (leftTrim)
            {
                chunk = chunk.TrimEnd(' ', '\t', '\r', '\n');
                after += 2;
            }

            AddText(items, chunk);
            Advance(after - _pos);

            if (string.CompareOrdinal(text, _pos, "/*", 0, 2) == 0)
            {
                trimNext = LexComment();
                continue;
            }

            var (tokens, rightTrim, line, column) = LexAction();
            items.Add(new ActionItem(tokens, line, column));
            trimNext = rightTrim;
        }

        void AddText(List<TemplateItem> list, string chunk)
        {
            if (chunk.Length > 0)
            {
                list.Add(new TextItem(chunk, _line));
            }
        }
    }

    private bool LexComment()
    {
        var end = text.IndexOf("*/", _pos + 2, StringComparison.Ordinal);
        if (end < 0)
        {
            throw Error("unclosed comment");
        }

        Advance(end + 2 - _pos);
        if (string.CompareOrdinal(text, _pos, " -}}", 0, 4) == 0)
        {
            Advance(4);
            return true;
        }

        if (string.CompareOrdinal(text, _pos, "}}", 0, 2) == 0)
        {
            Advance(2);
            return false;
        }

        throw Error("comment ends before closing delimiter");
    }

    private (List<TemplateToken> Tokens, bool RightTrim, int Line, int Column) LexAction()
    {
        var line = _line;
        var column = _pos - _lineStart + 1;
        var tokens = new List<TemplateToken>();
        var space = false;
        while (true)
        {
            if (_pos >= text.Length)
            {
                throw Error("unclosed action");
            }

            var c = text[_pos];
            if (c == '}' && Peek(1) == '}')
            {
                Advance(2);
                return (tokens, false, line, column);
            }

            if (IsSpace(c))
            {
                if (Peek(1) == '-' && Peek(2) == '}' && Peek(3) == '}')
                {
                    Advance(4);
                    return (tokens, true, line, column);
                }

                Advance(1);
                space = true;
                continue;
            }

            tokens.Add(LexToken(space));
            space = false;
        }
    }

    private TemplateToken LexToken(bool spaceBefore)
    {
        var line = _line;
        var column = _pos - _lineStart + 1;
        var start = _pos;
        var c = text[_pos];

        TemplateToken Make(TokenKind kind, string value) => new(kind, value, line, column, spaceBefore);

        switch (c)
        {
            case '|':
                Advance(1);
                return Make(TokenKind.Pipe, "|");
            case '(':
                Advance(1);
                return Make(TokenKind.LeftParen, "(");
            case ')':
                Advance(1);
                return Make(TokenKind.RightParen, ")");
            case ',':
                Advance(1);
                return Make(TokenKind.Comma, ",");
            case ':' when Peek(1) == '=':
                Advance(2);
                return Make(TokenKind.Declare, ":=");
            case '=':
                Advance(1);
                return Make(TokenKind.Assign, "=");
            case '"':
                return Make(TokenKind.String, LexQuoted());
            case '`':
                var close = text.IndexOf('`', _pos + 1);
                if (close < 0)
                {
                    throw Error("unterminated raw quoted string");
                }

                Advance(close + 1 - _pos);
                return Make(TokenKind.String, text[(start + 1)..close]);
            case '.' when Peek(1) is var n && (char.IsLetter(n) || n == '_'):
                Advance(1);
                return Make(TokenKind.Field, "." + LexWord());
            case '.':
                Advance(1);
                return Make(TokenKind.Dot, ".");
            case '$':
                Advance(1);
                return Make(TokenKind.Variable, "$" + LexWord());
        }

        if (char.IsAsciiDigit(c) || ((c == '-' || c == '+') && char.IsAsciiDigit(Peek(1))))
        {
            Advance(1);
            while (_pos < text.Length && (char.IsAsciiLetterOrDigit(text[_pos]) || text[_pos] is '.' or '_'))
            {
                Advance(1);
            }

            return Make(TokenKind.Number, text[start.._pos]);
        }

        if (char.IsLetter(c) || c == '_')
        {
            var word = LexWord();
            return word switch
            {
                "true" or "false" => Make(TokenKind.Bool, word),
                "nil" => Make(TokenKind.Nil, word),
                _ when Keywords.Contains(word, StringComparer.Ordinal) => Make(TokenKind.Keyword, word),
                _ => Make(TokenKind.Identifier, word),
            };
        }

        throw Error(string.Create(CultureInfo.InvariantCulture, $"unexpected bad character U+{(int)c:X4} '{c}' in command"));
    }

    private string LexWord()
    {
        var start = _pos;
        while (_pos < text.Length && (char.IsLetterOrDigit(text[_pos]) || text[_pos] == '_'))
        {
            Advance(1);
        }

        return text[start.._pos];
    }

    private string LexQuoted()
    {
        Advance(1);
        var sb = new StringBuilder();
        while (true)
        {
            if (_pos >= text.Length || text[_pos] == '\n')
            {
                throw Error("unterminated quoted string");
            }

            var c = text[_pos];
            Advance(1);
            if (c == '"')
            {
                return sb.ToString();
            }

            if (c != '\\')
            {
                sb.Append(c);
                continue;
            }

            if (_pos >= text.Length)
            {
                throw Error("unterminated quoted string");
            }

            var e = text[_pos];
            Advance(1);
            sb.Append(e switch
            {
                'n' => '\n',
                't' => '\t',
                'r' => '\r',
                '\\' => '\\',
                '"' => '"',
                _ => throw Error($"invalid syntax: unknown escape \\{e}"),
            });
        }
    }

    private char Peek(int offset) => _pos + offset < text.Length ? text[_pos + offset] : '\0';

    private void Advance(int count)
    {
        for (var i = 0; i < count; i++)
        {
            if (text[_pos] == '\n')
            {
                _line++;
                _lineStart = _pos + 1;
            }

            _pos++;
        }
    }

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\r' or '\n';

    private TemplateException Error(string message) =>
        new(string.Create(CultureInfo.InvariantCulture, $"template: {name}:{_line}: {message}"));
}
