using System.Text;

namespace OtelLab.Sim.Collector.Processors.TailSampling.Internal.Ottl;

/// <summary>
/// Splits an OTTL condition into tokens (pkg/ottl lexer.go): identifiers, double-quoted strings with backslash
/// escapes, signed integers and floats, <c>0x</c> bytes literals, comparison operators and punctuation.
/// </summary>
internal static class OttlLexer
{
    private static readonly string[] Symbols = ["==", "!=", "<=", ">=", "<", ">", "(", ")", "[", "]", "{", "}", ",", ".", ":", "+", "-", "*", "/"];

    public static List<OttlToken> Tokenize(string text)
    {
        var tokens = new List<OttlToken>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            var start = i;
            if (c == '"')
            {
                tokens.Add(new OttlToken(OttlTokenKind.String, ReadString(text, ref i), start));
            }
            else if (c == '0' && i + 1 < text.Length && text[i + 1] is 'x' or 'X')
            {
                i += 2;
                while (i < text.Length && char.IsAsciiHexDigit(text[i]))
                {
                    i++;
                }

                tokens.Add(new OttlToken(OttlTokenKind.Bytes, text[(start + 2)..i], start));
            }
            else if (char.IsAsciiDigit(c) || (c == '-' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1]) && !PreviousIsOperand(tokens)))
            {
                i++;
                while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
                {
                    i++;
                }

                var number = text[start..i];
                tokens.Add(new OttlToken(number.Contains('.', StringComparison.Ordinal) ? OttlTokenKind.Float : OttlTokenKind.Int, number, start));
            }
            else if (char.IsAsciiLetter(c) || c == '_')
            {
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                tokens.Add(new OttlToken(OttlTokenKind.Identifier, text[start..i], start));
            }
            else
            {
                var symbol = Symbols.FirstOrDefault(s => string.CompareOrdinal(text, i, s, 0, s.Length) == 0)
                    ?? throw new OttlSyntaxException($"unexpected character '{c}'", start);
                i += symbol.Length;
                tokens.Add(new OttlToken(OttlTokenKind.Symbol, symbol, start));
            }
        }

        tokens.Add(new OttlToken(OttlTokenKind.End, string.Empty, text.Length));
        return tokens;
    }

    // "a -1" is a subtraction only after an operand; after an operator or at the start, "-1" is a literal.
    private static bool PreviousIsOperand(List<OttlToken> tokens) =>
        tokens.Count > 0 && (tokens[^1].Kind is OttlTokenKind.Identifier or OttlTokenKind.String or OttlTokenKind.Int or OttlTokenKind.Float
            || tokens[^1].Is(")") || tokens[^1].Is("]"));

    private static string ReadString(string text, ref int i)
    {
        var start = i;
        var value = new StringBuilder();
        i++;
        while (i < text.Length && text[i] != '"')
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                i++;
                value.Append(text[i] switch { 'n' => '\n', 't' => '\t', 'r' => '\r', var other => other });
            }
            else
            {
                value.Append(text[i]);
            }

            i++;
        }

        if (i >= text.Length)
        {
            throw new OttlSyntaxException("unterminated string literal", start);
        }

        i++;
        return value.ToString();
    }
}
