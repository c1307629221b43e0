using OtelLab.Model.Manifests;
using OtelLab.Model.Rbac;

namespace OtelLab.Tests.Model;

[Trait("Category", "Unit")]
public sealed class RbacEvaluatorTests
{
    private static readonly RbacSubject Subject = new("obs", "sa");

    private static RbacEvaluator For(string yaml) => new(ManifestLoader.LoadText("r.yaml", yaml));

    [Fact]
    public void Cluster_role_binding_grants_cluster_wide_and_in_every_namespace()
    {
        var rbac = For("""
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: r}
            rules: [{apiGroups: [""], resources: [pods], verbs: [list]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: b}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: r}
            subjects: [{kind: ServiceAccount, name: sa, namespace: obs}]
            """);

        Assert.True(rbac.IsAllowed(Subject, new("list", "", "pods")));
        Assert.True(rbac.IsAllowed(Subject, new("list", "", "pods", "other")));
        Assert.False(rbac.IsAllowed(Subject, new("watch", "", "pods")));
        Assert.False(rbac.IsAllowed(Subject, new("list", "apps", "pods")));
        Assert.False(rbac.IsAllowed(new RbacSubject("other", "sa"), new("list", "", "pods")));
    }

    [Fact]
    public void Role_binding_grants_only_in_its_namespace()
    {
        var rbac = For("""
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: r, namespace: obs}
            rules: [{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: b, namespace: obs}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r}
            subjects: [{kind: ServiceAccount, name: sa}]
            """);

        Assert.True(rbac.IsAllowed(Subject, new("list", "apps", "replicasets", "obs")));
        Assert.False(rbac.IsAllowed(Subject, new("list", "apps", "replicasets", "payments")));
        Assert.False(rbac.IsAllowed(Subject, new("list", "apps", "replicasets")));
    }

    [Fact]
    public void Binding_to_an_undefined_role_grants_nothing_and_is_reported()
    {
        var rbac = For("""
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: b}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: missing}
            subjects: [{kind: ServiceAccount, name: sa, namespace: obs}]
            """);

        Assert.False(rbac.IsAllowed(Subject, new("get", "", "pods")));
        var binding = Assert.Single(rbac.BindingsOf(Subject));
        Assert.False(binding.RoleFound);
        Assert.Equal("missing", binding.RoleName);
    }

    [Fact]
    public void Cluster_admin_is_known_without_a_manifest()
    {
        var rbac = For("""
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: b}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
            subjects: [{kind: ServiceAccount, name: sa, namespace: obs}]
            """);

        Assert.True(rbac.IsAllowed(Subject, new("watch", "monitoring.coreos.com", "servicemonitors")));
    }
}
