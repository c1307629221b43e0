namespace OtelLab.Model.Install;

/// <summary>One <c>--values</c> file: its path (resolved against the scenario folder) and where the scenario names it.</summary>
public sealed record HelmValuesFile(string Path, SourceLocation Location);
