using k8s;
using System.Text.Json.Nodes;
using k8s.Models;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Sim.ApiServer;

/// <summary>The real kubectl with server-side apply (managedFields, conflicts, force) and strategic merge patch.</summary>
[Trait("Category", "Lab")]
public sealed class KubectlServerSideApplyTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private static readonly string Manifests = Path.Combine(RepoPaths.Scenario("payments-fixed"), "manifests");

    [Theory(Timeout = LabTestTimeout.Milliseconds)]
    [InlineData(27)]
    [InlineData(32)]
    public async Task Applying_the_scenario_server_side_twice_changes_nothing_the_second_time(int minor)
    {
        var generations = Generations();
        var first = await Kubectl.RunAsync(fixture, Kubectl.Version(minor), "apply", "--server-side", "-f", Manifests);
        var rvAfterFirst = ResourceVersions();
        var second = await Kubectl.RunAsync(fixture, Kubectl.Version(minor), "apply", "--server-side", "-f", Manifests);

        foreach (var run in new[] { first, second })
        {
            // The Argo CD Application fails alone (its CRD is not installed); everything else is applied.
            Assert.True(run.ExitCode == 1 && run.Err.Contains("no matches for kind \"Application\" in version \"argoproj.io/v1alpha1\"", StringComparison.Ordinal), run.Out + run.Err);
            var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Contains("deployment.apps/checkout serverside-applied", lines);
            Assert.Contains("opentelemetrycollector.opentelemetry.io/otel-gateway serverside-applied", lines);
            Assert.All(lines, l => Assert.EndsWith(" serverside-applied", l, StringComparison.Ordinal));
        }

        Assert.Equal(rvAfterFirst, ResourceVersions());

        // Ownership is metadata: recording it does not bump the generation (registry strategies bump it on spec changes).
        Assert.Equal(generations, Generations());
        var checkout = fixture.Cluster.Get<V1Deployment>("payments", "checkout")!;
        var entry = Assert.Single(checkout.Metadata.ManagedFields, e => e.Manager == "kubectl");
        Assert.Equal(("Apply", "apps/v1", "FieldsV1"), (entry.Operation, entry.ApiVersion, entry.FieldsType));
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task An_apply_that_changes_a_field_another_manager_set_conflicts_until_forced()
    {
        var file = Path.Combine(fixture.TempPath, "owned.yaml");
        await File.WriteAllTextAsync(file, ConfigMap("owned", "1"), TestContext.Current.CancellationToken);
        var create = await Kubectl.RunAsync(fixture, Kubectl.Default, "create", "-f", file);
        await File.WriteAllTextAsync(file, ConfigMap("owned", "2"), TestContext.Current.CancellationToken);

        var refused = await Kubectl.RunAsync(fixture, Kubectl.Default, "apply", "--server-side", "-f", file);
        var forced = await Kubectl.RunAsync(fixture, Kubectl.Default, "apply", "--server-side", "--force-conflicts", "-f", file);

        Assert.True(create.ExitCode == 0, create.Err);
        Assert.True(refused.ExitCode == 1, refused.Out + refused.Err);
        // upstream: managedfields/internal/conflict.go getConflictMessage; kubectl adds its advice below it.
        Assert.StartsWith("error: Apply failed with 1 conflict: conflict with \"kubectl-create\" using v1: .data.a", refused.Err, StringComparison.Ordinal);
        Assert.True(forced.ExitCode == 0, forced.Err);
        Assert.Equal("configmap/owned serverside-applied", forced.Out.Trim());
        var live = fixture.Cluster.Get<V1ConfigMap>("default", "owned")!;
        Assert.Equal("2", live.Data["a"]);
        var fields = live.Metadata.ManagedFields.ToDictionary(e => e.Manager, e => JsonNode.Parse(KubernetesJson.Serialize(e.FieldsV1))!.ToJsonString());
        Assert.Equal("""{"f:data":{".":{},"f:a":{},"f:b":{}}}""", fields["kubectl"]);
        Assert.Equal("""{"f:data":{".":{},"f:b":{}}}""", fields["kubectl-create"]);
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Fields_an_apply_no_longer_sets_are_removed()
    {
        var file = Path.Combine(fixture.TempPath, "shrinking.yaml");
        await File.WriteAllTextAsync(file, ConfigMap("shrinking", "1"), TestContext.Current.CancellationToken);
        var first = await Kubectl.RunAsync(fixture, Kubectl.Default, "apply", "--server-side", "-f", file);
        await File.WriteAllTextAsync(file, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: shrinking, namespace: default}\ndata: {a: \"1\"}\n", TestContext.Current.CancellationToken);

        var second = await Kubectl.RunAsync(fixture, Kubectl.Default, "apply", "--server-side", "-f", file);

        Assert.True(first.ExitCode == 0 && second.ExitCode == 0, first.Err + second.Err);
        Assert.Equal(new Dictionary<string, string> { ["a"] = "1" }, fixture.Cluster.Get<V1ConfigMap>("default", "shrinking")!.Data);
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Kubectl_patch_of_a_deployment_is_a_strategic_merge_that_keeps_the_containers()
    {
        var before = fixture.Cluster.Get<V1Deployment>("payments", "checkout")!;

        var (code, stdout, stderr) = await Kubectl.RunAsync(fixture, Kubectl.Default, "patch", "deployment", "checkout", "-n", "payments",
            "-p", """{"spec":{"template":{"metadata":{"annotations":{"lab.test/patched":"yes"}}}}}""");

        Assert.True(code == 0, stderr);
        Assert.Equal("deployment.apps/checkout patched", stdout.Trim());
        var after = fixture.Cluster.Get<V1Deployment>("payments", "checkout")!;
        Assert.Equal("yes", after.Spec.Template.Metadata.Annotations["lab.test/patched"]);
        Assert.Equal(before.Spec.Template.Spec.Containers.Select(c => c.Name), after.Spec.Template.Spec.Containers.Select(c => c.Name));
        Assert.Contains(after.Metadata.ManagedFields, e => e.Manager == "kubectl-patch" && e.Operation == "Update");
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task KubernetesClient_applies_server_side_and_reads_the_managed_fields_back()
    {
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(fixture.KubeconfigPath));
        var patch = new V1Patch("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"from-client","namespace":"default"},"data":{"k":"v"}}""", V1Patch.PatchType.ApplyPatch);
        var ct = TestContext.Current.CancellationToken;

        var created = await client.CoreV1.PatchNamespacedConfigMapAsync(patch, "from-client", "default", fieldManager: "lab-tests", force: true, cancellationToken: ct);
        var again = await client.CoreV1.PatchNamespacedConfigMapAsync(patch, "from-client", "default", fieldManager: "lab-tests", force: true, cancellationToken: ct);

        Assert.Equal("v", created.Data["k"]);
        Assert.Equal(created.Metadata.ResourceVersion, again.Metadata.ResourceVersion);
        var entry = Assert.Single(again.Metadata.ManagedFields);
        Assert.Equal(("lab-tests", "Apply"), (entry.Manager, entry.Operation));
    }

    private Dictionary<string, long?> Generations() =>
        fixture.Cluster.List<V1Deployment>("payments").ToDictionary(d => d.Metadata.Name, d => d.Metadata.Generation);

    private Dictionary<string, string> ResourceVersions() =>
        fixture.Cluster.List<V1Deployment>("payments").ToDictionary(d => d.Metadata.Name, d => d.Metadata.ResourceVersion);

    private static string ConfigMap(string name, string a) =>
        $"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: {name}, namespace: default}}\ndata: {{a: \"{a}\", b: \"x\"}}\n";
}
