namespace OtelLab.Model.Collector.Decoding;

/// <summary>The Go shape of one config field, as mapstructure sees it when decoding into it.</summary>
public enum GoKind
{
    String,
    Bool,
    Int,
    Uint,
    Float,

    /// <summary><c>time.Duration</c>: a string goes through time.ParseDuration (StringToTimeDurationHookFunc), a number is nanoseconds.</summary>
    Duration,

    /// <summary>A string type with an <c>UnmarshalText</c> that accepts only listed values.</summary>
    Enum,

    /// <summary>A struct: a map whose keys must all be known (ErrorUnused).</summary>
    Struct,

    /// <summary>A slice; a string is split on commas first (StringToSliceHookFunc(",")).</summary>
    List,

    /// <summary>A map with string keys and typed values.</summary>
    Map,

    /// <summary><c>any</c>, <c>map[string]any</c> or a section the lab does not judge: anything goes.</summary>
    Any,
}
