namespace OtelLab.Model.Rbac;

/// <summary>A binding of the subject to a role, and whether the role exists in the manifests.</summary>
public sealed record RoleRef(string BindingKind, string BindingName, string? BindingNamespace, string RoleKind, string RoleName, bool RoleFound, SourceLocation Location)
{
    public override string ToString() =>
        $"{BindingKind} {(BindingNamespace is null ? string.Empty : BindingNamespace + "/")}{BindingName} → {RoleKind} {RoleName}{(RoleFound ? string.Empty : " (not defined)")} at {Location.FileAndLine}";
}
