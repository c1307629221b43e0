using OtelLab.Scenarios;
using OtelLab.Scenarios.Definition;
using OtelLab.Scenarios.GitOps;
using OtelLab.Sim.ArgoCd;
using OtelLab.Tests.Sim.ApiServer;
using OtelLab.Tests.Sim.ArgoCd;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Scenarios.GitOps;

/// <summary>A lab whose manifests hold the guide's Application: the argocd resource syncs it from a real repository, and the real kubectl's delete is self-healed.</summary>
[Trait("Category", "Lab")]
[Collection(nameof(SimulatedNetworkCollection))]
public sealed class SimLabArgoCdTests
{
    [Fact]
    public async Task The_guides_application_syncs_from_git_a_kubectl_delete_of_the_gateway_is_reverted_and_the_guides_teardown_leaves_nothing()
    {
        // Given: the guide's Application as the scenario's only manifest, its path in a real repository
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDirectory();
        using var repo = new TempGitRepository();
        var manifests = Directory.CreateDirectory(Path.Combine(dir.Path, "manifests")).FullName;
        File.Copy(Path.Combine(RepoPaths.Scenario("payments-fixed"), "manifests", "30-argocd-application.yaml"), Path.Combine(manifests, "30-argocd-application.yaml"));
        repo.Write("clusters/eks-prod/otel/config.yaml", ControllerHarness.ConfigMap("otel-settings"));
        File.Copy(Path.Combine(RepoPaths.Scenario("payments-fixed"), "manifests", "12-otel-gateway.yaml"), Path.Combine(repo.RepoPath, "clusters/eks-prod/otel/12-otel-gateway.yaml"));
        var sha = repo.Commit("pipeline settings");
        var scenario = ScenarioLoader.FromManifests(manifests) with { TimeScale = 1 };
        await using var lab = SimLab.Create(new SimLabOptions
        {
            Scenario = scenario,
            WorkDirectory = Path.Combine(dir.Path, "run"),
            GitOps = new GitOpsOptions { Repositories = new GitRepositoryMap().Map(ControllerHarness.Url, repo.RepoPath) },
        });

        // When
        Assert.True(await lab.StartAsync(ct));
        var argo = lab.ArgoCd!;
        var synced = await argo.WaitForAsync("otel-pipeline", s => s.SyncStatus == "Synced", TimeSpan.FromSeconds(60), ct);
        var deletedAt = lab.Clock.GetUtcNow();
        var (code, _, err) = await Kubectl.RunAsync(lab.KubeconfigPath!, dir.Path, Kubectl.Default, "delete", "opentelemetrycollector", "otel-gateway", "-n", "observability");
        Assert.True(code == 0, err);
        var healed = await argo.WaitForAsync("otel-pipeline", s => s.OperationState is { SelfHeal: true } o && o.FinishedAt > deletedAt, TimeSpan.FromSeconds(60), ct);
        var (getCode, stdout, _) = await Kubectl.RunAsync(lab.KubeconfigPath!, dir.Path, Kubectl.Default, "get", "opentelemetrycollector", "otel-gateway", "-n", "observability", "-o", "name");

        foreach (var (at, app, what) in argo.Timeline)
        {
            TestContext.Current.TestOutputHelper?.WriteLine($"+{(at - deletedAt).TotalSeconds,7:F2} s {app}: {what}");
        }

        // Then
        Assert.Equal(sha, synced.Revision);
        Assert.Equal(LabResourceNames.ArgoCd, lab.Graph.Resources.Single(r => r.Kind == "argocd").Name);
        Assert.True(healed.OperationState!.FinishedAt - deletedAt < TimeSpan.FromSeconds(3), $"recreated {(healed.OperationState.FinishedAt - deletedAt).TotalSeconds:F2} s after kubectl delete");
        Assert.Equal((0, "opentelemetrycollector.opentelemetry.io/otel-gateway"), (getCode, stdout.Trim()));
        Assert.Equal(["OpenTelemetryCollector/otel-gateway"], healed.OperationState.Resources.Select(r => $"{r.Kind}/{r.Name}"));

        // When: the guide's teardown — disable auto-sync, delete the Application with cascade (its resources finalizer)
        argo.DisableAutoSync("otel-pipeline");
        argo.Update("otel-pipeline", a => a with { Finalizers = [ArgoApplicationController.ResourcesFinalizer] });
        var deleted = await argo.DeleteAsync("otel-pipeline", ct);
        var (_, left, _) = await Kubectl.RunAsync(lab.KubeconfigPath!, dir.Path, Kubectl.Default, "get", "opentelemetrycollectors,configmaps", "-n", "observability", "-o", "name");

        // Then: nothing the Application delivered is left
        Assert.Equal(["ConfigMap observability/otel-settings", "OpenTelemetryCollector observability/otel-gateway"], deleted.Order());
        Assert.DoesNotContain("otel-gateway", left, StringComparison.Ordinal);
        Assert.DoesNotContain("otel-settings", left, StringComparison.Ordinal);
    }
}
