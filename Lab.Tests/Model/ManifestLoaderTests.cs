using k8s.Models;
using OtelLab.Model.Manifests;

namespace OtelLab.Tests.Model;

public sealed class ManifestLoaderTests
{
    [Fact]
    public void Loads_core_kinds_as_KubernetesClient_models_with_positions()
    {
        // Given two documents after a comment
        const string yaml = """
            # comment
            apiVersion: v1
            kind: ServiceAccount
            metadata:
              name: sa
              namespace: obs
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata:
              name: b
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: r}
            subjects:
              - kind: ServiceAccount
                name: sa
                namespace: obs
            """;

        // When
        var set = ManifestLoader.LoadText("m.yaml", yaml);

        // Then
        Assert.Empty(set.Errors);
        Assert.Equal(2, set.Objects.Count);
        var sa = Assert.IsType<V1ServiceAccount>(set.Objects[0].Typed);
        Assert.Equal("sa", sa.Metadata.Name);
        Assert.Equal("obs", set.Objects[0].Namespace);
        Assert.Equal(2, set.Objects[0].Location.Line);
        var crb = Assert.IsType<V1ClusterRoleBinding>(set.Objects[1].Typed);
        Assert.Equal("r", crb.RoleRef.Name);
        Assert.Null(set.Objects[1].Namespace);
        Assert.Equal(8, set.Objects[1].Location.Line);
    }
}
