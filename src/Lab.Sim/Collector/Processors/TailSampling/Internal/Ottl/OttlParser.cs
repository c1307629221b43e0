using System.Globalization;
using System.Text.RegularExpressions;

namespace OtelLab.Sim.Collector.Processors.TailSampling.Internal.Ottl;

/// <summary>
/// Parses one OTTL boolean expression (pkg/ottl grammar.go: <c>or</c> binds loosest, then <c>and</c>, then <c>not</c>,
/// then comparisons <c>== != &lt; &lt;= &gt; &gt;=</c>) into a predicate. Operands: string, int, float, bool, nil and
/// bytes literals, enums (<c>STATUS_CODE_*</c>, <c>SPAN_KIND_*</c>), the paths of <see cref="OttlPaths"/>, and the
/// converters <c>IsMatch(target, "regex")</c> and <c>IsRootSpan()</c>. Math, list and map literals and other functions
/// are refused by name.
/// </summary>
internal sealed class OttlParser
{
    private const string SupportedConverters = "IsMatch, IsRootSpan";

    private static readonly Dictionary<string, long> Enums = new(StringComparer.Ordinal)
    {
        ["STATUS_CODE_UNSET"] = 0, ["STATUS_CODE_OK"] = 1, ["STATUS_CODE_ERROR"] = 2,
        ["SPAN_KIND_UNSPECIFIED"] = 0, ["SPAN_KIND_INTERNAL"] = 1, ["SPAN_KIND_SERVER"] = 2,
        ["SPAN_KIND_CLIENT"] = 3, ["SPAN_KIND_PRODUCER"] = 4, ["SPAN_KIND_CONSUMER"] = 5,
    };

    private static readonly string[] ComparisonOperators = ["==", "!=", "<", "<=", ">", ">="];

    private readonly List<OttlToken> _tokens;
    private readonly bool _spanEvent;
    private int _next;

    private OttlParser(string condition, bool spanEvent)
    {
        _tokens = OttlLexer.Tokenize(condition);
        _spanEvent = spanEvent;
    }

    private OttlToken Current => _tokens[_next];

    /// <summary>The predicate of <paramref name="condition"/>; throws <see cref="OttlSyntaxException"/> on what it cannot take.</summary>
    public static Func<OttlContext, bool> Parse(string condition, bool spanEvent)
    {
        var parser = new OttlParser(condition, spanEvent);
        var predicate = parser.Or();
        if (parser.Current.Kind != OttlTokenKind.End)
        {
            throw parser.Unexpected();
        }

        return predicate;
    }

    private Func<OttlContext, bool> Or()
    {
        var terms = new List<Func<OttlContext, bool>> { And() };
        while (Current.Kind == OttlTokenKind.Identifier && Current.Text == "or")
        {
            _next++;
            terms.Add(And());
        }

        return terms.Count == 1 ? terms[0] : c => terms.Any(t => t(c));
    }

    private Func<OttlContext, bool> And()
    {
        var terms = new List<Func<OttlContext, bool>> { Not() };
        while (Current.Kind == OttlTokenKind.Identifier && Current.Text == "and")
        {
            _next++;
            terms.Add(Not());
        }

        return terms.Count == 1 ? terms[0] : c => terms.All(t => t(c));
    }

    private Func<OttlContext, bool> Not()
    {
        if (Current.Kind == OttlTokenKind.Identifier && Current.Text == "not")
        {
            _next++;
            var inner = Not();
            return c => !inner(c);
        }

        return BooleanValue();
    }

    private Func<OttlContext, bool> BooleanValue()
    {
        if (Current.Is("("))
        {
            _next++;
            var inner = Or();
            Expect(")");
            return inner;
        }

        var start = Current.Position;
        var (left, isBoolean) = Operand();
        if (Current.Kind == OttlTokenKind.Symbol && ComparisonOperators.Contains(Current.Text))
        {
            var op = Current.Text;
            _next++;
            var (right, _) = Operand();
            return c => OttlValue.Compare(left(c), right(c), op);
        }

        if (!isBoolean)
        {
            throw new OttlSyntaxException("a value on its own is not a condition: compare it (e.g. attributes[\"k\"] == true) or use a converter that returns a boolean", start);
        }

        return c => left(c).Bool;
    }

    private (Func<OttlContext, OttlValue> Get, bool IsBoolean) Operand()
    {
        var token = Current;
        (Func<OttlContext, OttlValue>, bool) operand = token.Kind switch
        {
            OttlTokenKind.String => Literal(OttlValue.Of(token.Text)),
            OttlTokenKind.Int => Literal(long.TryParse(token.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i)
                ? OttlValue.Of(i)
                : throw new OttlSyntaxException($"integer {token.Text} does not fit in int64", token.Position)),
            OttlTokenKind.Float => Literal(new OttlValue(OttlValueKind.Double, Double: double.Parse(token.Text, CultureInfo.InvariantCulture))),
            OttlTokenKind.Bytes => Literal(new OttlValue(OttlValueKind.Bytes, Bytes: Convert.FromHexString(token.Text.Length % 2 == 0 ? token.Text : "0" + token.Text))),
            OttlTokenKind.Identifier => Identifier(token),
            _ when token.Is("[") || token.Is("{") => throw OttlSyntaxException.NotEmulated("list and map literals are not emulated by the lab", token.Position),
            _ => throw Unexpected(),
        };
        if (Current.Kind == OttlTokenKind.Symbol && Current.Text is "+" or "-" or "*" or "/")
        {
            throw OttlSyntaxException.NotEmulated($"math expressions ('{Current.Text}') are not emulated by the lab", Current.Position);
        }

        return operand;
    }

    private (Func<OttlContext, OttlValue>, bool) Literal(OttlValue value)
    {
        _next++;
        return (_ => value, value.Kind == OttlValueKind.Bool);
    }

    private (Func<OttlContext, OttlValue>, bool) Identifier(OttlToken token)
    {
        switch (token.Text)
        {
            case "true" or "false":
                return Literal(OttlValue.Of(token.Text == "true"));
            case "nil":
                return Literal(OttlValue.Nil);
            case "and" or "or" or "not":
                throw Unexpected();
        }

        if (_tokens[_next + 1].Is("("))
        {
            return Converter(token);
        }

        if (char.IsAsciiLetterUpper(token.Text[0]))
        {
            return Enums.TryGetValue(token.Text, out var value)
                ? Literal(OttlValue.Of(value))
                : throw new OttlSyntaxException($"enum symbol, {token.Text}, not found", token.Position);
        }

        return (Path(), false);
    }

    private Func<OttlContext, OttlValue> Path()
    {
        var start = Current.Position;
        var segments = new List<string> { Current.Text };
        _next++;
        while (Current.Is("."))
        {
            _next++;
            if (Current.Kind != OttlTokenKind.Identifier)
            {
                throw Unexpected();
            }

            segments.Add(Current.Text);
            _next++;
        }

        var keys = new List<object>();
        while (Current.Is("["))
        {
            _next++;
            keys.Add(Current.Kind switch
            {
                OttlTokenKind.String => Current.Text,
                OttlTokenKind.Int => long.Parse(Current.Text, CultureInfo.InvariantCulture),
                _ => throw OttlSyntaxException.NotEmulated("only string and integer literal keys are emulated inside [...]", Current.Position),
            });
            _next++;
            Expect("]");
        }

        return OttlPaths.Resolve(segments, keys, _spanEvent, start);
    }

    private (Func<OttlContext, OttlValue>, bool) Converter(OttlToken name)
    {
        if (!char.IsAsciiLetterUpper(name.Text[0]))
        {
            // pkg/ottl: editors (lower case) cannot appear in a condition.
            throw new OttlSyntaxException($"converter names must start with an uppercase letter but got '{name.Text}'", name.Position);
        }

        _next += 2;
        switch (name.Text)
        {
            case "IsMatch":
                var (target, _) = Operand();
                Expect(",");
                var pattern = Current.Kind == OttlTokenKind.String
                    ? Current
                    : throw OttlSyntaxException.NotEmulated("IsMatch's pattern must be a string literal here", Current.Position);
                _next++;
                Expect(")");
                var regex = Compile(pattern);
                return (c => OttlStringLike.From(target(c)) is { } s ? OttlValue.Of(regex.IsMatch(s)) : OttlValue.Of(false), true);
            case "IsRootSpan" when !_spanEvent:
                Expect(")");
                return (c => OttlValue.Of(c.Span.ParentSpanId == 0), true);
            default:
                throw OttlSyntaxException.NotEmulated(
                    $"converter {name.Text} is not emulated by the lab in the {(_spanEvent ? "spanevent" : "span")} context (supported: {(_spanEvent ? "IsMatch" : SupportedConverters)})",
                    name.Position);
        }
    }

    // RE2 through .NET's non-backtracking engine, as StringAttributeEvaluator does; upstream's IsMatch error text.
    private static Regex Compile(OttlToken pattern)
    {
        try
        {
            return new Regex(pattern.Text, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            throw new OttlSyntaxException($"the pattern supplied to IsMatch is not a valid regexp pattern: {ex.Message}", pattern.Position);
        }
    }

    private void Expect(string symbol)
    {
        if (!Current.Is(symbol))
        {
            throw Unexpected($"expected \"{symbol}\"");
        }

        _next++;
    }

    private OttlSyntaxException Unexpected(string? expected = null) => new(
        (Current.Kind == OttlTokenKind.End ? "unexpected end of condition" : $"unexpected token \"{Current.Text}\"") + (expected is null ? string.Empty : $" ({expected})"),
        Current.Position);
}
