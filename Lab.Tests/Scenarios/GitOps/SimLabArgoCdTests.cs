using System.Text.RegularExpressions;
using OtelLab.Scenarios;
using OtelLab.Scenarios.Definition;
using OtelLab.Scenarios.GitOps;
using OtelLab.Sim.ArgoCd;
using OtelLab.Tests.Sim.ApiServer;
using OtelLab.Tests.Sim.ArgoCd;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Scenarios.GitOps;

/// <summary>A lab whose manifests hold the guide's Application: the argocd resource syncs it from a real repository, and the real kubectl's delete is self-healed, and kubectl reads, patches and deletes the Application the API server serves.</summary>
[Trait("Category", "Lab")]
public sealed class SimLabArgoCdTests
{
    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task The_guides_application_syncs_from_git_a_kubectl_delete_of_the_gateway_is_reverted_and_the_guides_teardown_through_kubectl_leaves_nothing()
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
        var deletedAt = lab.Clock.GetUtcNow();
        ApplicationStatus synced, healed;
        int getCode;
        string stdout;
        try
        {
            // The namespace Argo creates makes this a two-step sync: it completes once the gateway reports its replicas ready.
            synced = await argo.WaitForAsync("otel-pipeline", s => s.SyncStatus == "Synced" && s.OperationState?.Phase == "Succeeded", TimeSpan.FromSeconds(60), ct);
            deletedAt = lab.Clock.GetUtcNow();
            var (code, _, err) = await Kubectl.RunAsync(lab.KubeconfigPath!, dir.Path, Kubectl.Default, "delete", "opentelemetrycollector", "otel-gateway", "-n", "observability");
            Assert.True(code == 0, err);
            healed = await argo.WaitForAsync("otel-pipeline", s => s.OperationState is { SelfHeal: true } o && o.FinishedAt > deletedAt, TimeSpan.FromSeconds(60), ct);
            (getCode, stdout, _) = await Kubectl.RunAsync(lab.KubeconfigPath!, dir.Path, Kubectl.Default, "get", "opentelemetrycollector", "otel-gateway", "-n", "observability", "-o", "name");
        }
        finally
        {
            foreach (var (at, app, what) in argo.Timeline)
            {
                TestContext.Current.TestOutputHelper?.WriteLine($"+{(at - deletedAt).TotalSeconds,7:F2} s {app}: {what}");
            }
        }

        // Then
        Assert.Equal(sha, synced.Revision);
        Assert.Equal(LabResourceNames.ArgoCd, lab.Graph.Resources.Single(r => r.Kind == "argocd").Name);
        Assert.True(healed.OperationState!.FinishedAt - deletedAt < TimeSpan.FromSeconds(3), $"recreated {(healed.OperationState.FinishedAt - deletedAt).TotalSeconds:F2} s after kubectl delete");
        Assert.Equal((0, "opentelemetrycollector.opentelemetry.io/otel-gateway"), (getCode, stdout.Trim()));
        Assert.Equal(["OpenTelemetryCollector/otel-gateway"], healed.OperationState.Resources.Select(r => $"{r.Kind}/{r.Name}"));
        Assert.Contains(argo.Timeline, e => e.What.StartsWith("came back: OpenTelemetryCollector observability/otel-gateway recreated ", StringComparison.Ordinal));

        // Then: the API server serves the Application with Argo's printer columns, its status written by the controller
        foreach (var binary in new[] { Kubectl.Default, Kubectl.Version(27) })
        {
            var current = argo.StatusOf("otel-pipeline");
            var table = await UntilAsync(() => Kubectl.RunAsync(lab.KubeconfigPath!, dir.Path, binary, "get", "applications", "-n", "argocd"),
                r => Regex.IsMatch(r.Out, $@"otel-pipeline\s+{current.SyncStatus}\s+{current.Health}\b"), ct);
            TestContext.Current.TestOutputHelper?.WriteLine($"{Path.GetFileName(binary)} get applications -n argocd:\n{table.Out}");
            Assert.Matches(@"^NAME\s+SYNC STATUS\s+HEALTH STATUS\s*\n", table.Out);
        }

        // When: the guide's teardown through the API — disable auto-sync by patch, delete the Application with cascade
        // (the resources finalizer, which `argocd app delete --cascade` sets)
        var (p1, _, p1Err) = await Kubectl.RunAsync(lab.KubeconfigPath!, dir.Path, Kubectl.Default, "patch", "application", "otel-pipeline", "-n", "argocd", "--type", "merge",
            "-p", """{"spec":{"syncPolicy":{"automated":null}}}""");
        Assert.True(p1 == 0, p1Err);
        await UntilAsync(() => Task.FromResult(argo.SpecOf("otel-pipeline")), a => !a.Automated, ct);
        var (p2, _, p2Err) = await Kubectl.RunAsync(lab.KubeconfigPath!, dir.Path, Kubectl.Default, "patch", "application", "otel-pipeline", "-n", "argocd", "--type", "merge",
            "-p", """{"metadata":{"finalizers":["resources-finalizer.argocd.argoproj.io"]}}""");
        Assert.True(p2 == 0, p2Err);
        var (d, deleteOut, dErr) = await Kubectl.RunAsync(lab.KubeconfigPath!, dir.Path, Kubectl.Default, "delete", "application", "otel-pipeline", "-n", "argocd");
        var (_, left, _) = await Kubectl.RunAsync(lab.KubeconfigPath!, dir.Path, Kubectl.Default, "get", "opentelemetrycollectors,configmaps", "-n", "observability", "-o", "name");
        var (gone, _, goneErr) = await Kubectl.RunAsync(lab.KubeconfigPath!, dir.Path, Kubectl.Default, "get", "application", "otel-pipeline", "-n", "argocd");

        // Then: kubectl delete returned once the finalizer was removed, and nothing the Application delivered is left
        Assert.True(d == 0, dErr);
        Assert.Contains("application.argoproj.io \"otel-pipeline\" deleted", deleteOut, StringComparison.Ordinal);
        Assert.Contains(argo.Timeline, e => e.What.StartsWith("deleted with cascade: 2 object(s)", StringComparison.Ordinal));
        Assert.DoesNotContain("otel-gateway", left, StringComparison.Ordinal);
        Assert.DoesNotContain("otel-settings", left, StringComparison.Ordinal);
        Assert.NotEqual(0, gone);
        Assert.Contains("NotFound", goneErr, StringComparison.Ordinal);
    }

    /// <summary>Repeats <paramref name="read"/> until <paramref name="done"/> holds (the controller writes status on its own pass).</summary>
    private static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), timeout.Token);
        }
    }
}
