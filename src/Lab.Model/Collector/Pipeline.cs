namespace OtelLab.Model.Collector;

/// <summary>A <c>service.pipelines</c> entry: id <c>signal[/name]</c> and its ordered components.</summary>
public sealed record Pipeline(
    ComponentId Id,
    IReadOnlyList<ComponentRef> Receivers,
    IReadOnlyList<ComponentRef> Processors,
    IReadOnlyList<ComponentRef> Exporters,
    SourceLocation Location)
{
    /// <summary>The signal: <c>traces</c>, <c>metrics</c>, <c>logs</c> (or <c>profiles</c>).</summary>
    public string Signal => Id.Type;
}
