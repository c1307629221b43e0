using k8s.Models;

namespace OtelLab.Scenarios.WhatIfs;

/// <summary>
/// Deletes the ClusterRole that lets k8sattributes read ReplicaSets (its signature rule: pods, namespaces and
/// replicasets get/list/watch, per the processor's README RBAC section): from then on its list/watch is forbidden
/// and spans of new pods go out without Kubernetes metadata — the processor fails open.
/// </summary>
public static class RbacRevocation
{
    public static WhatIfResult RevokeK8sAttributesRole(SimLab lab)
    {
        ArgumentNullException.ThrowIfNull(lab);
        if (lab.Cluster is not { } cluster)
        {
            return WhatIfResult.Refused("the cluster is not running");
        }

        var roles = cluster.List<V1ClusterRole>().Where(GrantsReplicaSets).ToList();
        if (roles.Count == 0)
        {
            return WhatIfResult.Refused("no ClusterRole grants replicasets get/list/watch: k8sattributes already lacks its RBAC");
        }

        var deleted = roles.Where(r => cluster.Delete("ClusterRole", null, r.Metadata.Name)).Select(r => r.Metadata.Name).ToList();
        var bindings = cluster.List<V1ClusterRoleBinding>().Where(b => deleted.Contains(b.RoleRef.Name)).Select(b => b.Metadata.Name);
        return WhatIfResult.Done($"deleted ClusterRole {string.Join(", ", deleted)}; bindings left pointing at nothing: {string.Join(", ", bindings)}");
    }

    private static bool GrantsReplicaSets(V1ClusterRole role) =>
        !role.Metadata.Name.StartsWith("system:", StringComparison.Ordinal)
        && (role.Rules ?? []).Any(r => (r.Resources ?? []).Contains("replicasets") && (r.Verbs ?? []).Contains("watch"));
}
