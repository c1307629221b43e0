namespace OtelLab.Model.Install;

/// <summary>A CustomResourceDefinition a chart ships: <c>plural.group</c>, its kind and the versions it serves.</summary>
public sealed record ChartCrd(string Name, string Group, string Kind, IReadOnlyList<string> Versions)
{
    public bool Serves(string apiVersion) => Versions.Any(v => apiVersion == $"{Group}/{v}");
}
