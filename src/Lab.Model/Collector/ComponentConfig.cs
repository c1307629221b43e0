using YamlDotNet.RepresentationModel;

namespace OtelLab.Model.Collector;

/// <summary>One configured component: its id, kind, raw settings (null when written as <c>otlp:</c>) and position.</summary>
public sealed record ComponentConfig(ComponentId Id, ComponentKind Kind, YamlMappingNode? Settings, SourceLocation Location);
