namespace OtelLab.Model.Collector.Decoding;

/// <summary>What yaml.v3 makes of a value when decoding into <c>any</c> (confmap's <c>map[string]any</c>).</summary>
public enum YamlScalarKind
{
    Null,
    String,
    Int,
    Float,
    Bool,
    Sequence,
    Mapping,
}
