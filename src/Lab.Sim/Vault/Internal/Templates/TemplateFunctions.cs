using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace OtelLab.Sim.Vault.Internal.Templates;

/// <summary>
/// The functions the lab's templates may call besides <c>secret</c>: a few of Go's builtins and the consul-template
/// helpers people use around Vault secrets. Anything else fails at parse time with Go's
/// <c>function "x" not defined</c>. upstream: go/src/text/template/funcs.go (builtins), consul-template
/// template/funcs.go (toUpper, toLower, trimSpace, base64Decode, base64Encode, toJSON).
/// </summary>
internal static class TemplateFunctions
{
    public static IReadOnlyDictionary<string, TemplateFunction> Builtins { get; } = new Dictionary<string, TemplateFunction>(StringComparer.Ordinal)
    {
        ["not"] = args => !GoValue.IsTrue(Arg(args, 0, "not")),
        ["and"] = args => args.FirstOrDefault(a => !GoValue.IsTrue(a), args.Count > 0 ? args[^1] : null),
        ["or"] = args => args.FirstOrDefault(GoValue.IsTrue, args.Count > 0 ? args[^1] : null),
        ["eq"] = args => args.Skip(1).Any(a => Same(Arg(args, 0, "eq"), a)),
        ["ne"] = args => !Same(Arg(args, 0, "ne"), Arg(args, 1, "ne")),
        ["len"] = args => (long)(Arg(args, 0, "len") switch
        {
            string s => Encoding.UTF8.GetByteCount(s),
            IReadOnlyDictionary<string, object?> m => m.Count,
            IReadOnlyList<object?> l => l.Count,
            var other => throw new TemplateException($"len of type {GoValue.TypeName(other)}"),
        }),
        ["index"] = Index,
        ["print"] = args => Sprint(args),
        ["println"] = args => string.Join(' ', args.Select(GoValue.Print)) + "\n",
        ["printf"] = Printf,
        ["toUpper"] = args => Text(args, "toUpper").ToUpperInvariant(),
        ["toLower"] = args => Text(args, "toLower").ToLowerInvariant(),
        ["trimSpace"] = args => Text(args, "trimSpace").Trim(),
        ["base64Encode"] = args => Convert.ToBase64String(Encoding.UTF8.GetBytes(Text(args, "base64Encode"))),
        ["base64Decode"] = args =>
        {
            try
            {
                return Encoding.UTF8.GetString(Convert.FromBase64String(Text(args, "base64Decode")));
            }
            catch (FormatException)
            {
                throw new TemplateException("base64Decode: illegal base64 data");
            }
        },
        ["toJSON"] = args => ToJson(Arg(args, 0, "toJSON"))?.ToJsonString() ?? "null",
    };

    private static object? Arg(IReadOnlyList<object?> args, int index, string function) =>
        index < args.Count ? args[index] : throw new TemplateException($"wrong number of args for {function}: want {index + 1} got {args.Count}");

    private static string Text(IReadOnlyList<object?> args, string function) => GoValue.Print(Arg(args, 0, function)) switch
    {
        "<no value>" => string.Empty,
        var s => s,
    };

    private static bool Same(object? a, object? b) => (a, b) switch
    {
        (GoNumber x, long y) => x.Text == y.ToString(CultureInfo.InvariantCulture),
        (long x, GoNumber y) => y.Text == x.ToString(CultureInfo.InvariantCulture),
        _ => Equals(a, b),
    };

    private static object? Index(IReadOnlyList<object?> args)
    {
        var value = Arg(args, 0, "index");
        foreach (var key in args.Skip(1))
        {
            value = (value, key) switch
            {
                (IReadOnlyDictionary<string, object?> m, string k) => m.TryGetValue(k, out var v) ? v : null,
                (IReadOnlyList<object?> l, long i) when i >= 0 && i < l.Count => l[(int)i],
                (IReadOnlyList<object?> l, long i) => throw new TemplateException($"error calling index: index out of range: {i}"),
                _ => throw new TemplateException($"can't index item of type {GoValue.TypeName(value)}"),
            };
        }

        return value;
    }

    // fmt.Sprint: a space between operands when neither side is a string.
    private static string Sprint(IReadOnlyList<object?> args)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < args.Count; i++)
        {
            if (i > 0 && args[i] is not string && args[i - 1] is not string)
            {
                sb.Append(' ');
            }

            sb.Append(GoValue.Print(args[i]));
        }

        return sb.ToString();
    }

    // The verbs people use in Vault templates: %s %v %d %q and %%.
    private static object? Printf(IReadOnlyList<object?> args)
    {
        var format = Arg(args, 0, "printf") as string ?? throw new TemplateException("printf: format must be a string");
        var sb = new StringBuilder();
        var next = 1;
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 >= format.Length)
            {
                sb.Append(format[i]);
                continue;
            }

            var verb = format[++i];
            if (verb == '%')
            {
                sb.Append('%');
                continue;
            }

            if (next >= args.Count)
            {
                sb.Append("%!").Append(verb).Append("(MISSING)");
                continue;
            }

            var text = GoValue.Print(args[next++]);
            sb.Append(verb switch
            {
                'q' => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"",
                's' or 'v' or 'd' => text,
                _ => $"%!{verb}({text})",
            });
        }

        return sb.ToString();
    }

    private static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        long n => JsonValue.Create(n),
        GoNumber n => JsonNode.Parse(n.Text),
        IReadOnlyDictionary<string, object?> m => new JsonObject(m.Select(kv => KeyValuePair.Create(kv.Key, ToJson(kv.Value)))),
        IReadOnlyList<object?> l => new JsonArray(l.Select(ToJson).ToArray()),
        GoStruct st => new JsonObject(st.Fields.Select(kv => KeyValuePair.Create(kv.Key, ToJson(kv.Value)))),
        _ => JsonValue.Create(GoValue.Print(value)),
    };
}
