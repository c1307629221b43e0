using YamlDotNet.RepresentationModel;

namespace OtelLab.Model.Collector.Decoding;

/// <summary>
/// One mapstructure decoding error: the field path as mapstructure names it (<c>''</c> for the component's own struct,
/// <c>protocols.grpc</c>, <c>policies[0]</c>, <c>headers[X-Key]</c>), what went wrong, and the YAML node it points at.
/// <see cref="MapstructureDialect"/> renders it as the collector version prints it.
/// </summary>
public sealed record DecodeProblem
{
    public required DecodeProblemKind Kind { get; init; }

    public required string Name { get; init; }

    public required YamlNode Node { get; init; }

    /// <summary>The offending keys (<see cref="DecodeProblemKind.InvalidKeys"/>), sorted as Go sorts them.</summary>
    public IReadOnlyList<string> Keys { get; init; } = [];

    /// <summary>For <see cref="DecodeProblemKind.InvalidKeys"/>: the struct, whose keys (and defaults) the key was not among.</summary>
    public ConfigType? Struct { get; init; }

    /// <summary>The target Go type (<c>uint32</c>).</summary>
    public string Expected { get; init; } = string.Empty;

    /// <summary>The YAML value's Go type (<c>string</c>) or, for ExpectedMap/ExpectedSlice, its kind.</summary>
    public string Got { get; init; } = string.Empty;

    /// <summary>The value as <c>%v</c> prints it.</summary>
    public string Value { get; init; } = string.Empty;

    /// <summary>A hook's own error text (<c>time: invalid duration "abc"</c>).</summary>
    public string Detail { get; init; } = string.Empty;
}
