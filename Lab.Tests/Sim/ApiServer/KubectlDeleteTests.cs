using OtelLab.Tests.Support;
using k8s;
using k8s.Models;
using OtelLab.Sim.Cluster;

namespace OtelLab.Tests.Sim.ApiServer;

/// <summary>The real kubectl deleting with owner references: the guide's teardown of a collector, --cascade, namespaces.</summary>
[Trait("Category", "Lab")]
public sealed class KubectlDeleteTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Deleting_a_collector_removes_everything_the_operator_made_for_it()
    {
        var uid = fixture.Cluster.MetadataOf("OpenTelemetryCollector", "observability", "otel-gateway")!.Uid;
        var made = OwnedBy(uid);
        Assert.Contains(made, o => o.Kind == "Pod");
        Assert.Contains(made, o => o.Kind == "ReplicaSet");
        Assert.Contains(made, o => o.Kind == "Service");
        Assert.Contains(made, o => o.Kind == "ConfigMap");

        var (code, stdout, stderr) = await Kubectl.RunAsync(fixture, Kubectl.Default, "delete", "opentelemetrycollector", "otel-gateway", "-n", "observability");

        Assert.True(code == 0, stderr);
        Assert.Equal("opentelemetrycollector.opentelemetry.io \"otel-gateway\" deleted", stdout.Trim());
        Assert.All(made, o => Assert.Null(fixture.Cluster.Get(ResourceKind.Of(o.Kind), "observability", o.Name)));
        Assert.NotNull(fixture.Cluster.Get(ResourceKind.Of("OpenTelemetryCollector"), "observability", "otel-agent"));
    }

    [Theory(Timeout = LabTestTimeout.Milliseconds)]
    [InlineData(27)]
    [InlineData(32)]
    public async Task Cascade_orphan_leaves_the_replicaset_and_pods_without_their_owner(int minor)
    {
        var name = $"orphaned-{minor}";
        await SimFixtures.ApplyYamlAsync(fixture.Cluster, Deployment(name));

        var (code, stdout, stderr) = await Kubectl.RunAsync(fixture, Kubectl.Version(minor), "delete", "deployment", name, "--cascade=orphan");

        Assert.True(code == 0, stderr);
        Assert.Equal($"deployment.apps \"{name}\" deleted", stdout.Trim());
        var rs = Assert.Single(fixture.Cluster.List<V1ReplicaSet>("default"), r => r.Metadata.Name.StartsWith(name + "-", StringComparison.Ordinal));
        Assert.Null(rs.Metadata.OwnerReferences);
        Assert.Equal(2, fixture.Cluster.List<V1Pod>("default").Count(p => p.Metadata.Name.StartsWith(name + "-", StringComparison.Ordinal)));
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Cascade_foreground_deletes_the_pods_and_then_the_deployment()
    {
        await SimFixtures.ApplyYamlAsync(fixture.Cluster, Deployment("foreground"));

        var (code, stdout, stderr) = await Kubectl.RunAsync(fixture, Kubectl.Default, "delete", "deployment", "foreground", "--cascade=foreground");

        Assert.True(code == 0, stderr);
        Assert.Equal("deployment.apps \"foreground\" deleted", stdout.Trim());
        Assert.DoesNotContain(fixture.Cluster.List<V1Pod>("default"), p => p.Metadata.Name.StartsWith("foreground-", StringComparison.Ordinal));
        Assert.DoesNotContain(fixture.Cluster.List<V1ReplicaSet>("default"), p => p.Metadata.Name.StartsWith("foreground-", StringComparison.Ordinal));
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Deleting_a_namespace_through_KubernetesClient_empties_it_and_removes_it()
    {
        await SimFixtures.ApplyYamlAsync(fixture.Cluster, "apiVersion: v1\nkind: Namespace\nmetadata: {name: teardown}\n---\n" + Deployment("doomed").Replace("namespace: default", "namespace: teardown", StringComparison.Ordinal));
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(fixture.KubeconfigPath));

        var status = await client.CoreV1.DeleteNamespaceAsync("teardown", new V1DeleteOptions { PropagationPolicy = "Background" }, cancellationToken: TestContext.Current.CancellationToken);

        Assert.NotNull(status);
        Assert.Null(fixture.Cluster.Get<V1Namespace>(null, "teardown"));
        Assert.Empty(fixture.Cluster.List<V1Pod>("teardown"));
        var missing = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() => client.CoreV1.ReadNamespaceAsync("teardown", cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.Response.StatusCode);
    }

    private List<(string Kind, string Name)> OwnedBy(string uid)
    {
        var kinds = new[] { "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Pod", "Service", "ConfigMap", "ServiceAccount" };
        var all = kinds.SelectMany(k => fixture.Cluster.List(ResourceKind.Of(k), "observability")
                .Select(o => (Kind: k, Meta: ((IMetadata<V1ObjectMeta>)o).Metadata)))
            .ToList();
        var owners = new HashSet<string>(StringComparer.Ordinal) { uid };
        var owned = new List<(string Kind, string Name)>();
        bool grew;
        do
        {
            grew = false;
            foreach (var (kind, meta) in all.Where(o => !owners.Contains(o.Meta.Uid) && o.Meta.OwnerReferences?.Any(r => owners.Contains(r.Uid)) == true))
            {
                owners.Add(meta.Uid);
                owned.Add((kind, meta.Name));
                grew = true;
            }
        }
        while (grew);
        return owned;
    }

    private static string Deployment(string name) => $$"""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: {{name}}, namespace: default}
        spec:
          replicas: 2
          selector:
            matchLabels:
              app: {{name}}
          template:
            metadata:
              labels:
                app: {{name}}
            spec: {containers: [{name: c, image: nginx}]}
        """;
}
