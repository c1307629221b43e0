namespace OtelLab.Model.Collector;

/// <summary>A pipeline's reference to a component, with the position of the reference itself.</summary>
public sealed record ComponentRef(ComponentId Id, SourceLocation Location);
