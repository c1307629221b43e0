namespace OtelLab.Model.Collector.Decoding;

/// <summary>
/// A Go type of a component's config, enough to decode YAML into it the way confmap does: its kind, the name Go prints
/// in mapstructure's errors (<c>uint32</c>, <c>time.Duration</c>, <c>configopaque.String</c>), and for structs, lists
/// and maps what they hold. Struct fields marked <c>mapstructure:",squash"</c> are merged into the parent
/// (<see cref="Struct(ConfigMember[])"/> with <see cref="ConfigMember.Squash"/>).
/// </summary>
public sealed class ConfigType
{
    private ConfigType(
        GoKind kind,
        string goName,
        IReadOnlyDictionary<string, ConfigType>? fields = null,
        ConfigType? element = null,
        IReadOnlyList<string>? values = null,
        string? enumError = null,
        IReadOnlyDictionary<string, string>? defaults = null)
    {
        Defaults = defaults ?? new Dictionary<string, string>();
        Kind = kind;
        GoName = goName;
        Fields = fields ?? new Dictionary<string, ConfigType>();
        Element = element;
        Values = values ?? [];
        EnumError = enumError;
    }

    public GoKind Kind { get; }

    /// <summary>The type as Go's reflect prints it in "expected type '…'".</summary>
    public string GoName { get; }

    /// <summary>Struct fields by mapstructure key (squashed structs already merged).</summary>
    public IReadOnlyDictionary<string, ConfigType> Fields { get; }

    /// <summary>Upstream's defaults of struct fields, by key, where recorded (the schema's "default" column).</summary>
    public IReadOnlyDictionary<string, string> Defaults { get; }

    /// <summary>The element type of a list or the value type of a map.</summary>
    public ConfigType? Element { get; }

    /// <summary>Accepted values of an <see cref="GoKind.Enum"/>.</summary>
    public IReadOnlyList<string> Values { get; }

    /// <summary>The UnmarshalText error of an enum, with <c>{0}</c> for the rejected value.</summary>
    public string? EnumError { get; }

    public static ConfigType String { get; } = new(GoKind.String, "string");

    /// <summary><c>configopaque.String</c>: a string that is masked when printed.</summary>
    public static ConfigType Opaque { get; } = new(GoKind.String, "configopaque.String");

    public static ConfigType Bool { get; } = new(GoKind.Bool, "bool");

    public static ConfigType Int { get; } = new(GoKind.Int, "int");

    public static ConfigType Int32 { get; } = new(GoKind.Int, "int32");

    public static ConfigType Int64 { get; } = new(GoKind.Int, "int64");

    public static ConfigType Uint32 { get; } = new(GoKind.Uint, "uint32");

    public static ConfigType Uint64 { get; } = new(GoKind.Uint, "uint64");

    public static ConfigType Float64 { get; } = new(GoKind.Float, "float64");

    public static ConfigType Duration { get; } = new(GoKind.Duration, "time.Duration");

    public static ConfigType Any { get; } = new(GoKind.Any, "interface {}");

    public static ConfigType Strings { get; } = ListOf(String);

    public static ConfigType StringMap { get; } = MapOf(String);

    public static ConfigType OpaqueMap { get; } = MapOf(Opaque);

    /// <summary>A named string type (<c>component.ID</c>, <c>otlphttpexporter.EncodingType</c>): decodes like a string.</summary>
    public static ConfigType Named(string goName) => new(GoKind.String, goName);

    /// <summary>A string type whose UnmarshalText accepts only <paramref name="values"/>.</summary>
    public static ConfigType Enum(string goName, string error, params string[] values) => new(GoKind.Enum, goName, values: values, enumError: error);

    public static ConfigType ListOf(ConfigType element) => new(GoKind.List, "[]" + element.GoName, element: element);

    public static ConfigType MapOf(ConfigType value) => new(GoKind.Map, "map[string]" + value.GoName, element: value);

    public static ConfigType Struct(params ConfigMember[] members) => Struct("struct", members);

    public static ConfigType Struct(string goName, params ConfigMember[] members)
    {
        var fields = new Dictionary<string, ConfigType>(StringComparer.Ordinal);
        var defaults = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var member in members)
        {
            if (member.Squashed is { } squashed)
            {
                foreach (var (key, type) in squashed.Fields)
                {
                    fields[key] = type;
                }

                foreach (var (key, value) in squashed.Defaults)
                {
                    defaults[key] = value;
                }
            }
            else
            {
                fields[member.Key!] = member.Type!;
                if (member.Default is { } value)
                {
                    defaults[member.Key!] = value;
                }
            }
        }

        return new ConfigType(GoKind.Struct, goName, fields, defaults: defaults);
    }

    public override string ToString() => GoName;
}
