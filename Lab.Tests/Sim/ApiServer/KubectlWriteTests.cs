using k8s.Models;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Sim.ApiServer;

/// <summary>The real kubectl writing to the simulated cluster: client-side apply, create, patch, label, delete.</summary>
[Trait("Category", "Lab")]
public sealed class KubectlWriteTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private static readonly string Manifests = Path.Combine(RepoPaths.Scenario("payments-fixed"), "manifests");

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Applying_the_manifests_the_lab_applied_changes_nothing()
    {
        var (code, stdout, stderr) = await Kubectl.RunAsync(fixture, Kubectl.Default, "apply", "-f", Manifests);

        // The Argo CD Application fails alone (its CRD is not installed); everything else is as the lab applied it.
        Assert.True(code == 1 && stderr.Contains("no matches for kind \"Application\" in version \"argoproj.io/v1alpha1\"", StringComparison.Ordinal), stdout + stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Contains("opentelemetrycollector.opentelemetry.io/otel-gateway unchanged"), stdout);
        Assert.Contains("deployment.apps/checkout unchanged", lines);
        Assert.Contains("opentelemetrycollector.opentelemetry.io/otel-gateway unchanged", lines);
        Assert.All(lines, l => Assert.EndsWith(" unchanged", l, StringComparison.Ordinal));
    }

    [Theory(Timeout = LabTestTimeout.Milliseconds)]
    [InlineData(27)]
    [InlineData(32)]
    public async Task Applying_a_changed_manifest_patches_the_live_object(int minor)
    {
        var name = $"apply-{minor}";
        var file = Path.Combine(fixture.TempPath, $"{name}.yaml");
        await File.WriteAllTextAsync(file, Deployment(name, replicas: 1), TestContext.Current.CancellationToken);
        var created = await Kubectl.RunAsync(fixture, Kubectl.Version(minor), "apply", "-f", file);
        Assert.True(created.ExitCode == 0, created.Err);
        Assert.Equal($"deployment.apps/{name} created", created.Out.Trim());

        await File.WriteAllTextAsync(file, Deployment(name, replicas: 3), TestContext.Current.CancellationToken);
        var configured = await Kubectl.RunAsync(fixture, Kubectl.Version(minor), "apply", "-f", file);

        Assert.True(configured.ExitCode == 0, configured.Err);
        Assert.Equal($"deployment.apps/{name} configured", configured.Out.Trim());
        Assert.Equal(3, fixture.Cluster.Get<V1Deployment>("default", name)!.Spec.Replicas);
        Assert.Equal(3, fixture.Cluster.List<V1Pod>("default").Count(p => p.Metadata.Name.StartsWith(name + "-", StringComparison.Ordinal)));
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Create_patch_label_and_delete_a_configmap()
    {
        var file = Path.Combine(fixture.TempPath, "cm.yaml");
        await File.WriteAllTextAsync(file, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: edited, namespace: default}\ndata: {a: \"1\"}\n", TestContext.Current.CancellationToken);

        var create = await Kubectl.RunAsync(fixture, Kubectl.Default, "create", "-f", file);
        var again = await Kubectl.RunAsync(fixture, Kubectl.Default, "create", "-f", file);
        var patch = await Kubectl.RunAsync(fixture, Kubectl.Default, "patch", "cm", "edited", "--type=json", "-p", "[{\"op\":\"replace\",\"path\":\"/data/a\",\"value\":\"2\"}]");
        var merge = await Kubectl.RunAsync(fixture, Kubectl.Default, "patch", "cm", "edited", "--type=merge", "-p", "{\"data\":{\"b\":\"3\"}}");
        var label = await Kubectl.RunAsync(fixture, Kubectl.Default, "label", "cm", "edited", "tier=test");
        var live = fixture.Cluster.Get<V1ConfigMap>("default", "edited")!;
        var delete = await Kubectl.RunAsync(fixture, Kubectl.Default, "delete", "cm", "edited");

        Assert.Equal("configmap/edited created", create.Out.Trim());
        Assert.Equal($"Error from server (AlreadyExists): error when creating \"{file}\": configmaps \"edited\" already exists", again.Err.Trim());
        Assert.Equal("configmap/edited patched", patch.Out.Trim());
        Assert.Equal("configmap/edited patched", merge.Out.Trim());
        Assert.Equal("configmap/edited labeled", label.Out.Trim());
        Assert.Equal(new Dictionary<string, string> { ["a"] = "2", ["b"] = "3" }, live.Data);
        Assert.Equal("test", live.Metadata.Labels["tier"]);
        Assert.True(delete.ExitCode == 0, delete.Err);
        Assert.Equal("configmap \"edited\" deleted", delete.Out.Trim());
        Assert.Null(fixture.Cluster.Get<V1ConfigMap>("default", "edited"));
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Replacing_with_a_stale_resource_version_is_a_conflict()
    {
        // Given a ConfigMap read (its resourceVersion kept in the file), then changed by someone else
        var file = Path.Combine(fixture.TempPath, "stale.yaml");
        await File.WriteAllTextAsync(file, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: stale, namespace: default}\ndata: {a: \"1\"}\n", TestContext.Current.CancellationToken);
        Assert.Equal(0, (await Kubectl.RunAsync(fixture, Kubectl.Default, "create", "-f", file)).ExitCode);
        var read = await Kubectl.RunAsync(fixture, Kubectl.Default, "get", "cm", "stale", "-o", "yaml");
        await File.WriteAllTextAsync(file, read.Out.Replace("a: \"1\"", "a: \"mine\"", StringComparison.Ordinal), TestContext.Current.CancellationToken);
        Assert.Equal(0, (await Kubectl.RunAsync(fixture, Kubectl.Default, "patch", "cm", "stale", "--type=merge", "-p", "{\"data\":{\"a\":\"theirs\"}}")).ExitCode);

        // When the stale copy is put back
        var replace = await Kubectl.RunAsync(fixture, Kubectl.Default, "replace", "-f", file);

        // Then the API server refuses it (apiserver registry/generic/registry/store.go Update: a resourceVersion mismatch is 409 Conflict)
        Assert.Equal(1, replace.ExitCode);
        Assert.Equal(
            $"Error from server (Conflict): error when replacing \"{file}\": Operation cannot be fulfilled on configmaps \"stale\": the object has been modified; please apply your changes to the latest version and try again",
            replace.Err.Trim());
        Assert.Equal("theirs", fixture.Cluster.Get<V1ConfigMap>("default", "stale")!.Data["a"]);
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Kubectl_scale_sets_the_deployments_replicas_through_the_scale_subresource()
    {
        // (its own Deployment: the other tests of this class apply the scenario's and expect them unchanged)
        await SimFixtures.ApplyYamlAsync(fixture.Cluster, Deployment("scaled", replicas: 1));

        var (code, stdout, stderr) = await Kubectl.RunAsync(fixture, Kubectl.Default, "scale", "deployment/scaled", "--replicas=2");

        Assert.True(code == 0, stderr);
        Assert.Equal("deployment.apps/scaled scaled", stdout.Trim());
        Assert.Equal(2, fixture.Cluster.Get<V1Deployment>("default", "scaled")!.Spec.Replicas);
        Assert.Equal(2, fixture.Cluster.List<V1Pod>("default").Count(p => p.Metadata.Name.StartsWith("scaled-", StringComparison.Ordinal)));
    }

    private static string Deployment(string name, int replicas) => $$"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {{name}}
          namespace: default
        spec:
          replicas: {{replicas}}
          selector:
            matchLabels: {app: {{name}}}
          template:
            metadata:
              labels: {app: {{name}}}
            spec:
              containers:
              - name: c
                image: nginx:1.27
        """;
}
