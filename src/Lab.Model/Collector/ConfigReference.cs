namespace OtelLab.Model.Collector;

/// <summary>A <c>${scheme:value}</c> reference found in a config scalar, e.g. <c>${env:DT_API_TOKEN}</c>.</summary>
/// <param name="Scheme"><c>env</c> (also for bare <c>${VAR}</c>) or <c>file</c>, …</param>
/// <param name="Value">The variable name or file path.</param>
/// <param name="Default">The <c>:-default</c> part, when present.</param>
/// <param name="Path">The config path of the scalar, e.g. <c>exporters.datadog.api.key</c>.</param>
/// <param name="Location">Where the scalar is.</param>
public sealed record ConfigReference(string Scheme, string Value, string? Default, string Path, SourceLocation Location);
