namespace OtelLab.Model.Collector.Decoding;

/// <summary>
/// How a collector version prints decoding errors, which depends on the go-viper/mapstructure it was built with
/// (opentelemetry-collector confmap/go.mod):
/// <list type="bullet">
/// <item>before v0.105: the same, but weakly typed (confmap.strictlyTypedInput was alpha, off).</item>
/// <item>up to v0.105 (mapstructure v2.0.0-alpha.1, error.go): <c>1 error(s) decoding:\n\n* '' has invalid keys: timout</c>,
/// lines sorted and bulleted; hook errors <c>error decoding 'timeout': time: invalid duration "abc"</c>; wrong types
/// <c>'send_batch_size' expected type 'uint32', got unconvertible type 'string', value: 'abc'</c>.</item>
/// <item>v0.106 to v0.128 (v2.0.0–v2.2.1): the same lines, in decoding order, after
/// <c>decoding failed due to the following error(s):\n\n</c> (Decoder.Decode, errors.Join).</item>
/// <item>from v0.129 (v2.3.0+, errors.go DecodeError): every line is <c>'name' …</c>: <c>'timeout' time: invalid duration "abc"</c>,
/// <c>'send_batch_size' expected type 'uint32', got unconvertible type 'string'</c> (no value).</item>
/// </list>
/// From v0.105 to v0.107 otelcol/configprovider.go appends a hint about the strictlyTypedInput gate to type errors.
/// The collector wraps a component's errors as otelcol/internal/configunmarshaler/configs.go does
/// (<c>error reading configuration for "batch": …</c>) inside the section's hook error
/// (<c>error decoding 'processors': …</c> / <c>'processors' …</c>), under otelcol's
/// <c>failed to get config: cannot unmarshal the configuration: …</c>.
/// </summary>
public sealed class MapstructureDialect
{
    // upstream otelcol/configprovider.go v0.105.0–v0.107.0 (strictlyTypedMessageCoda), appended to type errors.
    private const string StrictHint =
        "\n\nHint: Temporarily restore the previous behavior by disabling \n      the `confmap.strictlyTypedInput` feature gate. More details at:\n      https://github.com/open-telemetry/opentelemetry-collector/issues/10552";

    private static readonly string[] HintTriggers = ["got unconvertible type", "source data must be", "expected a map, got 'slice'"];

    private MapstructureDialect(string name, bool joined, bool typedErrors, bool strictTypes, bool strictHint)
    {
        NegativeUintHook = !joined || strictHint; // confmap's negativeUintHookFunc: up to v0.107, the releases before v0.106 or with the hint
        Name = name;
        Joined = joined;
        TypedErrors = typedErrors;
        StrictTypes = strictTypes;
        HintOnTypeErrors = strictHint;
    }

    /// <summary>The mapstructure release and typing rule, for evidence (<c>go-viper/mapstructure v2.0.0-alpha.1, strictly typed</c>).</summary>
    public string Name { get; }

    /// <summary>
    /// Whether values must already have the field's type (confmap.strictlyTypedInput: beta, on by default, from
    /// v0.105.0; stable from v0.108.0). Before v0.105 mapstructure's weak typing converted between scalars (<c>4317</c>
    /// into a string field was fine).
    /// </summary>
    public bool StrictTypes { get; }

    private bool Joined { get; }

    private bool TypedErrors { get; }

    private bool HintOnTypeErrors { get; }

    private bool NegativeUintHook { get; }

    /// <summary>The dialect of a collector version (confmap/go.mod's mapstructure, the feature gate's stage); unknown (<c>latest</c>) gets the newest.</summary>
    public static MapstructureDialect For(Version? collectorVersion)
    {
        var minor = collectorVersion is { Major: 0 } v ? v.Minor : int.MaxValue;
        return minor switch
        {
            < 105 => new("go-viper/mapstructure v2.0.0-alpha.1, weakly typed (collector < v0.105)", false, false, false, false),
            105 => new("go-viper/mapstructure v2.0.0-alpha.1, strictly typed (collector v0.105)", false, false, true, true),
            < 108 => new("go-viper/mapstructure v2.0.0, strictly typed (collector v0.106–v0.107)", true, false, true, true),
            < 129 => new("go-viper/mapstructure v2.1.0–v2.2.1, strictly typed (collector v0.108–v0.128)", true, false, true, false),
            _ => new("go-viper/mapstructure v2.3.0+ (DecodeError), strictly typed (collector v0.129+)", true, true, true, false),
        };
    }

    /// <summary>One problem as mapstructure prints it.</summary>
    public string Line(DecodeProblem problem) => problem.Kind switch
    {
        DecodeProblemKind.InvalidKeys => $"'{problem.Name}' has invalid keys: {string.Join(", ", problem.Keys)}",
        DecodeProblemKind.Unconvertible => Unconvertible(problem),
        DecodeProblemKind.HookFailed => Hook(problem.Name, problem.Detail),
        DecodeProblemKind.NegativeUnsigned => NegativeUnsigned(problem),
        DecodeProblemKind.ExpectedMap when problem.Expected.Length > 0 && TypedErrors => Unconvertible(problem),
        DecodeProblemKind.ExpectedMap => TypedErrors
            ? $"'{problem.Name}' expected a map or struct, got \"{problem.Got}\""
            : $"'{problem.Name}' expected a map, got '{problem.Got}'",
        _ => TypedErrors
            ? $"'{problem.Name}' source data must be an array or slice, got {problem.Got}"
            : $"'{problem.Name}': source data must be an array or slice, got {problem.Got}",
    };

    /// <summary>A decode hook's error for a field (also how a config section's unmarshaler errors are wrapped).</summary>
    public string Hook(string name, string detail) => TypedErrors ? $"'{name}' {detail}" : $"error decoding '{name}': {detail}";

    /// <summary>What Decoder.Decode returns for these lines.</summary>
    public string Wrap(IEnumerable<string> lines)
    {
        var list = lines.ToList();
        if (!Joined)
        {
            var points = list.Select(l => "* " + l).Order(StringComparer.Ordinal);
            return $"{list.Count} error(s) decoding:\n\n{string.Join('\n', points)}";
        }

        return "decoding failed due to the following error(s):\n\n" + string.Join('\n', list);
    }

    /// <summary>The whole start error for a component whose settings do not decode.</summary>
    public string ComponentError(ComponentKind kind, ComponentId id, IReadOnlyList<DecodeProblem> problems) =>
        SectionError(kind, ComponentDetail(id, problems));

    /// <summary>configunmarshaler's error for one component: <c>error reading configuration for "batch": …</c>.</summary>
    public string ComponentDetail(ComponentId id, IReadOnlyList<DecodeProblem> problems) =>
        $"error reading configuration for \"{id}\": {Wrap(problems.Select(Line))}";

    /// <summary><c>failed to get config: cannot unmarshal the configuration: …</c> around an error of a config section.</summary>
    public string SectionError(ComponentKind kind, string detail) => UnmarshalError([(kind, detail)]);

    /// <summary>
    /// The start error when sections fail: each section (a confmap.Unmarshaler) stops at its first bad component, and
    /// mapstructure collects one error per section.
    /// </summary>
    public string UnmarshalError(IReadOnlyList<(ComponentKind Kind, string Detail)> sections)
    {
        var text = "failed to get config: cannot unmarshal the configuration: " + Wrap(sections.Select(s => Hook(Section(s.Kind), s.Detail)));
        return HintOnTypeErrors && HintTriggers.Any(t => text.Contains(t, StringComparison.Ordinal)) ? text + StrictHint : text;
    }

    public static string Section(ComponentKind kind) => kind.ToString().ToLowerInvariant() + "s";

    // confmap's negativeUintHookFunc up to v0.107; then mapstructure's own decodeUint error (v2.1: "cannot parse '%s',
    // %d overflows uint"; v2.3+: ParseError "cannot parse value as '%s': %d overflows uint").
    private string NegativeUnsigned(DecodeProblem p) =>
        NegativeUintHook ? Hook(p.Name, $"cannot convert negative value {p.Value} to an unsigned integer")
        : TypedErrors ? $"'{p.Name}' cannot parse value as '{p.Expected}': {p.Value} overflows uint"
        : $"cannot parse '{p.Name}', {p.Value} overflows uint";

    private string Unconvertible(DecodeProblem p) => TypedErrors
        ? $"'{p.Name}' expected type '{p.Expected}', got unconvertible type '{TypeOfKind(p)}'"
        : $"'{p.Name}' expected type '{p.Expected}', got unconvertible type '{p.Got}', value: '{p.Value}'";

    // A map target given a non-map records the value's kind (alpha's "expected a map, got 'slice'"); v2.3+ prints its type.
    private static string TypeOfKind(DecodeProblem p) => p.Kind != DecodeProblemKind.ExpectedMap ? p.Got : p.Got switch
    {
        "slice" => "[]interface {}",
        "map" => "map[string]interface {}",
        var other => other,
    };

    public override string ToString() => Name;
}
