namespace OtelLab.Model.Collector.Decoding;

/// <summary>A component whose settings the collector would refuse to decode.</summary>
public sealed record ComponentDecodeFailure(ComponentConfig Component, ComponentSchema Schema, IReadOnlyList<DecodeProblem> Problems);
