namespace OtelLab.Model.Install;

/// <summary>One <c>--set</c> expression as written, and where the scenario wrote it.</summary>
public sealed record HelmSetValue(string Expression, SourceLocation Location);
