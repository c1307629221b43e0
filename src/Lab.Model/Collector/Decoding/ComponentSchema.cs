namespace OtelLab.Model.Collector.Decoding;

/// <summary>The config struct of one component type, and the upstream file (repo, path, version) it follows.</summary>
public sealed record ComponentSchema(ComponentKind Kind, string Type, ConfigType Config, string Upstream);
