namespace OtelLab.Model.Collector.Decoding;

public enum DecodeProblemKind
{
    /// <summary>ErrorUnused: keys no field takes (<c>'' has invalid keys: timout</c>).</summary>
    InvalidKeys,

    /// <summary>A value of the wrong Go type (no weak typing: confmap.strictlyTypedInput).</summary>
    Unconvertible,

    /// <summary>A decode hook refused the value: time.ParseDuration or an UnmarshalText.</summary>
    HookFailed,

    /// <summary>A negative number for an unsigned field.</summary>
    NegativeUnsigned,

    /// <summary>A struct given something other than a map.</summary>
    ExpectedMap,

    /// <summary>A slice given something other than a sequence or string.</summary>
    ExpectedSlice,
}
