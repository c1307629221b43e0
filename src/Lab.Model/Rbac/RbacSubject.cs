namespace OtelLab.Model.Rbac;

/// <summary>A ServiceAccount as an RBAC subject (<c>system:serviceaccount:NS:NAME</c>).</summary>
public readonly record struct RbacSubject(string Namespace, string Name)
{
    public override string ToString() => $"system:serviceaccount:{Namespace}:{Name}";
}
