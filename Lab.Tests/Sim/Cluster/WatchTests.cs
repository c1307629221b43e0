using k8s.Models;
using OtelLab.Model.Rbac;
using OtelLab.Sim.Cluster;

namespace OtelLab.Tests.Sim.Cluster;

[Trait("Category", "Unit")]
public sealed class WatchTests
{
    [Fact]
    public async Task A_watch_lists_existing_objects_first_then_streams_changes_in_order()
    {
        // Given a namespace with one ConfigMap
        var cluster = SimFixtures.NewCluster(nodes: 1);
        await SimFixtures.ApplyYamlAsync(cluster, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: default}\n");
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(20));
        await using var watch = cluster.WatchAsync(["ConfigMap"], sendInitialEvents: true, cts.Token).GetAsyncEnumerator(cts.Token);

        // When another is created, the first updated and then deleted
        Assert.True(await watch.MoveNextAsync());
        await SimFixtures.ApplyYamlAsync(cluster, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b, namespace: default}\n");
        await SimFixtures.ApplyYamlAsync(cluster, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: default}\ndata: {k: v}\n");
        cluster.Delete("ConfigMap", "default", "a");

        // Then the stream says exactly that, with the previous state on Modified
        var seen = new List<string> { $"{watch.Current.Type} {watch.Current.Name}" };
        WatchEvent? modified = null;
        while (seen.Count < 4 && await watch.MoveNextAsync())
        {
            seen.Add($"{watch.Current.Type} {watch.Current.Name}");
            modified ??= watch.Current.Type == WatchEventType.Modified ? watch.Current : null;
        }

        Assert.Equal(["Added a", "Added b", "Modified a", "Deleted a"], seen);
        Assert.Null(((V1ConfigMap)modified!.Previous!).Data);
        Assert.Equal("v", ((V1ConfigMap)modified.Object).Data["k"]);
    }

    [Fact]
    public async Task An_rbac_checked_watch_is_refused_before_it_starts_and_filters_to_its_namespace()
    {
        var cluster = SimFixtures.NewCluster(nodes: 1);
        await SimFixtures.ApplyYamlAsync(cluster, """
            apiVersion: v1
            kind: Namespace
            metadata: {name: obs}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: r, namespace: obs}
            rules: [{apiGroups: [""], resources: [configmaps], verbs: [watch]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: b, namespace: obs}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r}
            subjects: [{kind: ServiceAccount, name: sa, namespace: obs}]
            """);
        var api = new ApiAccess(cluster, new RbacSubject("obs", "sa"));

        var clusterWide = Assert.Throws<ClusterApiException>(() => api.Watch("ConfigMap", cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal("configmaps is forbidden: User \"system:serviceaccount:obs:sa\" cannot watch resource \"configmaps\" in API group \"\" at the cluster scope", clusterWide.Message);

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(20));
        await using var watch = api.Watch("ConfigMap", "obs", sendInitialEvents: false, cts.Token).GetAsyncEnumerator(cts.Token);
        var next = watch.MoveNextAsync();
        await SimFixtures.ApplyYamlAsync(cluster, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: elsewhere, namespace: default}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: mine, namespace: obs}\n");
        Assert.True(await next);
        Assert.Equal("mine", watch.Current.Name);
    }
}
