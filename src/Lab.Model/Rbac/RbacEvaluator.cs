using k8s.Models;
using OtelLab.Model.Manifests;

namespace OtelLab.Model.Rbac;

/// <summary>
/// Kubernetes RBAC authorisation over the roles and bindings of a manifest set: a request is allowed when some
/// binding of the subject grants a rule matching verb, group and resource (<c>*</c> wildcards as the API server).
/// A ClusterRoleBinding grants cluster-wide; a RoleBinding only inside its namespace. Bindings to roles that the
/// manifests do not define grant nothing (the lab only trusts what it can read; built-in <c>cluster-admin</c> aside).
/// </summary>
public sealed class RbacEvaluator(ManifestSet manifests)
{
    private static readonly V1PolicyRule[] ClusterAdmin = [new() { ApiGroups = ["*"], Resources = ["*"], Verbs = ["*"] }];

    /// <summary>The bindings that name the subject, with whether their role exists.</summary>
    public IReadOnlyList<RoleRef> BindingsOf(RbacSubject subject)
    {
        var refs = new List<RoleRef>();
        foreach (var (m, crb) in manifests.Typed<V1ClusterRoleBinding>())
        {
            if (Names(crb.Subjects, subject, null))
            {
                refs.Add(new RoleRef("ClusterRoleBinding", m.Name, null, crb.RoleRef.Kind, crb.RoleRef.Name,
                    RulesOf(crb.RoleRef.Kind, crb.RoleRef.Name, null) is not null, m.Location));
            }
        }

        foreach (var (m, rb) in manifests.Typed<V1RoleBinding>())
        {
            if (Names(rb.Subjects, subject, m.Namespace))
            {
                refs.Add(new RoleRef("RoleBinding", m.Name, m.Namespace, rb.RoleRef.Kind, rb.RoleRef.Name,
                    RulesOf(rb.RoleRef.Kind, rb.RoleRef.Name, m.Namespace) is not null, m.Location));
            }
        }

        return refs;
    }

    public bool IsAllowed(RbacSubject subject, RbacRequest request)
    {
        foreach (var (m, crb) in manifests.Typed<V1ClusterRoleBinding>())
        {
            if (Names(crb.Subjects, subject, null) && Grants(RulesOf(crb.RoleRef.Kind, crb.RoleRef.Name, null), request))
            {
                return true;
            }
        }

        if (request.Namespace is null)
        {
            return false;
        }

        foreach (var (m, rb) in manifests.Typed<V1RoleBinding>())
        {
            if (m.Namespace == request.Namespace && Names(rb.Subjects, subject, m.Namespace) &&
                Grants(RulesOf(rb.RoleRef.Kind, rb.RoleRef.Name, m.Namespace), request))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The requests of <paramref name="requests"/> that the subject may not make.</summary>
    public IReadOnlyList<RbacRequest> Missing(RbacSubject subject, IEnumerable<RbacRequest> requests) =>
        requests.Where(r => !IsAllowed(subject, r)).ToList();

    private IList<V1PolicyRule>? RulesOf(string kind, string name, string? bindingNamespace)
    {
        if (kind == "ClusterRole")
        {
            if (name == "cluster-admin")
            {
                return ClusterAdmin;
            }

            var cr = manifests.Typed<V1ClusterRole>().FirstOrDefault(x => x.Manifest.Name == name);
            return cr.Model is null ? null : cr.Model.Rules ?? [];
        }

        var role = manifests.Typed<V1Role>().FirstOrDefault(x => x.Manifest.Name == name && x.Manifest.Namespace == bindingNamespace);
        return role.Model is null ? null : role.Model.Rules ?? [];
    }

    private static bool Names(IList<Rbacv1Subject>? subjects, RbacSubject subject, string? bindingNamespace) =>
        subjects?.Any(s => s.Kind == "ServiceAccount" && s.Name == subject.Name &&
                           (s.NamespaceProperty ?? bindingNamespace) == subject.Namespace) == true;

    private static bool Grants(IList<V1PolicyRule>? rules, RbacRequest request) =>
        rules?.Any(r =>
            Matches(r.Verbs, request.Verb) &&
            Matches(r.ApiGroups, request.Group) &&
            Matches(r.Resources, request.Resource) &&
            (r.ResourceNames is null || r.ResourceNames.Count == 0)) == true;

    private static bool Matches(IList<string>? values, string wanted) =>
        values?.Any(v => v == "*" || v == wanted) == true;
}
