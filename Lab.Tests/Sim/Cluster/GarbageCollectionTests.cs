using k8s.Models;
using OtelLab.Sim.Cluster;

namespace OtelLab.Tests.Sim.Cluster;

/// <summary>Deletion with owner references: background, foreground and orphan propagation, and namespace termination.</summary>
[Trait("Category", "Unit")]
public sealed class GarbageCollectionTests
{
    private const string Deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: default}
        spec:
          replicas: 2
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: c, image: nginx}]}
        """;

    [Fact]
    public async Task Foreground_marks_the_owner_then_deletes_the_dependents_then_the_owner()
    {
        var cluster = SimFixtures.NewCluster(nodes: 1);
        await SimFixtures.ApplyYamlAsync(cluster, Deployment);
        var events = new List<WatchEvent>();
        cluster.Changed += batch => events.AddRange(batch);

        Assert.True(cluster.Delete("Deployment", "default", "web", PropagationPolicy.Foreground));

        var marked = events.FindIndex(e => e.Type == WatchEventType.Modified && e.Kind.Kind == "Deployment"
            && ((V1Deployment)e.Object).Metadata.Finalizers?.Contains(SimulatedCluster.ForegroundFinalizer) == true);
        var podGone = events.FindIndex(e => e.Type == WatchEventType.Deleted && e.Kind.Kind == "Pod");
        var ownerGone = events.FindIndex(e => e.Type == WatchEventType.Deleted && e.Kind.Kind == "Deployment");
        Assert.True(marked >= 0 && marked < podGone && podGone < ownerGone, string.Join("\n", events));
        Assert.Empty(cluster.List<V1ReplicaSet>("default"));
        Assert.Empty(cluster.List<V1Pod>("default"));
    }

    [Fact]
    public void An_object_with_a_finalizer_is_only_marked_by_delete_and_goes_when_the_last_finalizer_is_removed()
    {
        // upstream: registry/generic/registry/store.go — Delete sets deletionTimestamp while finalizers remain;
        // the Update that empties them deletes the object (shouldDeleteDuringUpdate).
        var cluster = SimFixtures.NewCluster(nodes: 1);
        cluster.Create(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "app", NamespaceProperty = "default", Finalizers = ["example.com/cleanup"] } });

        Assert.True(cluster.Delete("ConfigMap", "default", "app", PropagationPolicy.Background));
        var marked = cluster.Get<V1ConfigMap>("default", "app");
        Assert.NotNull(marked?.Metadata.DeletionTimestamp);

        // An update that keeps the finalizer cannot clear the deletionTimestamp (a copy: Get hands out the stored object).
        marked = k8s.KubernetesJson.Deserialize<V1ConfigMap>(k8s.KubernetesJson.Serialize(marked));
        marked.Metadata.DeletionTimestamp = null;
        marked.Data = new Dictionary<string, string> { ["k"] = "v" };
        var updated = cluster.Update(marked);
        Assert.NotNull(updated.Metadata.DeletionTimestamp);

        updated = k8s.KubernetesJson.Deserialize<V1ConfigMap>(k8s.KubernetesJson.Serialize(updated));
        updated.Metadata.Finalizers = [];
        cluster.Update(updated);
        Assert.Null(cluster.Get<V1ConfigMap>("default", "app"));
    }

    [Fact]
    public async Task Orphan_keeps_the_dependents_without_the_reference_to_the_owner()
    {
        var cluster = SimFixtures.NewCluster(nodes: 1);
        await SimFixtures.ApplyYamlAsync(cluster, Deployment);

        Assert.True(cluster.Delete("Deployment", "default", "web", PropagationPolicy.Orphan));

        var rs = Assert.Single(cluster.List<V1ReplicaSet>("default"));
        Assert.Null(rs.Metadata.OwnerReferences);
        Assert.Equal(2, cluster.List<V1Pod>("default").Count);
        Assert.All(cluster.List<V1Pod>("default"), p => Assert.Equal(rs.Metadata.Uid, p.Metadata.OwnerReferences.Single().Uid));
    }

    [Fact]
    public void A_dependent_with_another_owner_left_loses_only_the_dangling_reference()
    {
        var cluster = SimFixtures.NewCluster(nodes: 1);
        var a = cluster.Create(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "a", NamespaceProperty = "default" } });
        var b = cluster.Create(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "b", NamespaceProperty = "default" } });
        cluster.Create(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta
            {
                Name = "shared",
                NamespaceProperty = "default",
                OwnerReferences = [Owner(a), Owner(b)],
            },
        });

        cluster.Delete("ConfigMap", "default", "a");

        var shared = cluster.Get<V1ConfigMap>("default", "shared")!;
        Assert.Equal([b.Metadata.Uid], shared.Metadata.OwnerReferences.Select(r => r.Uid));
        cluster.Delete("ConfigMap", "default", "b");
        Assert.Null(cluster.Get<V1ConfigMap>("default", "shared"));
    }

    [Fact]
    public async Task A_deleted_namespace_turns_terminating_empties_and_then_goes()
    {
        var cluster = SimFixtures.NewCluster(nodes: 1);
        await SimFixtures.ApplyYamlAsync(cluster, "apiVersion: v1\nkind: Namespace\nmetadata: {name: doomed}\n---\n" + Deployment.Replace("namespace: default", "namespace: doomed", StringComparison.Ordinal));
        Assert.Equal(["kubernetes"], cluster.Get<V1Namespace>(null, "doomed")!.Spec.Finalizers);
        var events = new List<WatchEvent>();
        cluster.Changed += batch => events.AddRange(batch);

        cluster.Delete("Namespace", null, "doomed");

        var terminating = events.FindIndex(e => e.Kind.Kind == "Namespace" && e.Type == WatchEventType.Modified && ((V1Namespace)e.Object).Status.Phase == "Terminating");
        var emptied = events.FindLastIndex(e => e.Kind.Namespaced && e.Type == WatchEventType.Deleted);
        var gone = events.FindIndex(e => e.Kind.Kind == "Namespace" && e.Type == WatchEventType.Deleted);
        Assert.True(terminating >= 0 && terminating < emptied && emptied < gone, string.Join("\n", events));
        Assert.Null(cluster.Get<V1Namespace>(null, "doomed"));
        Assert.Empty(cluster.List<V1Pod>("doomed"));
    }

    private static V1OwnerReference Owner(V1ConfigMap owner) =>
        new() { ApiVersion = "v1", Kind = "ConfigMap", Name = owner.Metadata.Name, Uid = owner.Metadata.Uid };
}
