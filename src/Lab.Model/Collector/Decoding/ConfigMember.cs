namespace OtelLab.Model.Collector.Decoding;

/// <summary>A member of a config struct: a keyed field, or an embedded struct squashed into its parent.</summary>
public sealed class ConfigMember
{
    private ConfigMember(string? key, ConfigType? type, ConfigType? squashed, string? defaultValue = null)
    {
        Key = key;
        Type = type;
        Squashed = squashed;
        Default = defaultValue;
    }

    /// <summary>The field's <c>mapstructure</c> key; null for a squashed struct.</summary>
    public string? Key { get; }

    public ConfigType? Type { get; }

    public ConfigType? Squashed { get; }

    /// <summary>Upstream's default (createDefaultConfig) as written in YAML, when the lab records it.</summary>
    public string? Default { get; }

    /// <summary><c>mapstructure:",squash"</c>: the embedded struct's keys sit at the parent's level.</summary>
    public static ConfigMember Squash(ConfigType embedded) => new(null, null, embedded);

    public static implicit operator ConfigMember((string Key, ConfigType Type) field) => new(field.Key, field.Type, null);

    public static implicit operator ConfigMember((string Key, ConfigType Type, string Default) field) => new(field.Key, field.Type, null, field.Default);
}
