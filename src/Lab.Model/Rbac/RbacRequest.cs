namespace OtelLab.Model.Rbac;

/// <summary>What a component asks the API server: a verb on a resource, cluster-wide or in one namespace.</summary>
/// <param name="Group">API group, <c>""</c> for core.</param>
/// <param name="Namespace">null for a cluster-scope request (list/watch across all namespaces).</param>
public readonly record struct RbacRequest(string Verb, string Group, string Resource, string? Namespace = null)
{
    public override string ToString() =>
        $"{Verb} {(Group.Length == 0 ? Resource : $"{Resource}.{Group}")}{(Namespace is null ? " (cluster-wide)" : $" in {Namespace}")}";
}
