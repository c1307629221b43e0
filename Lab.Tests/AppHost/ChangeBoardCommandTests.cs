using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using OtelLab.AppHost;
using OtelLab.Scenarios;
using OtelLab.Tests.Sim.ApiServer;
using OtelLab.Tests.Sim.ArgoCd;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.AppHost;

/// <summary>
/// The change board on the dashboard: the ServiceNow resource's approve and reject commands, run through the AppHost's
/// resource commands on payments-gitops synced from a real repository, decide the change request the gate holds.
/// </summary>
[Trait("Category", "Lab")]
public sealed class ChangeBoardCommandTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Reject_and_approve_decide_the_pending_change_request_and_are_disabled_while_none_waits()
    {
        LabCliRun.SkipWithoutLoopbackSupport();
        var ct = TestContext.Current.CancellationToken;

        // Given payments-gitops synced from a repository holding payments-fixed's collectors (its steps do not run)
        using var repo = new TempGitRepository();
        var fixedManifests = Path.Combine(RepoPaths.Scenario("payments-fixed"), "manifests");
        foreach (var f in new[] { "10-otel-agent.yaml", "11-otel-prometheus.yaml", "12-otel-gateway.yaml" })
        {
            repo.Write("clusters/eks-prod/otel/" + f, File.ReadAllText(Path.Combine(fixedManifests, f)));
        }

        repo.Commit("payments-fixed's collectors");
        var builder = await DistributedApplicationTestingBuilder.CreateAsync(typeof(LabCli),
            ["up", "--scenario", RepoPaths.Scenario("payments-gitops"), "--gitops-repo", repo.RepoPath, "--port", "-1"], ct);
        await using var app = await builder.BuildAsync(ct);
        await app.StartAsync(ct);
        await app.ResourceNotifications.WaitForResourceHealthyAsync(LabResourceNames.ArgoCd, ct).WaitAsync(Bound, ct);
        var lab = app.Services.GetRequiredService<SimLab>();

        // Then nothing waits: both commands are disabled
        await WaitForCommandsAsync(app, ResourceCommandState.Disabled, ct);

        // When a commit puts the defect back (Argo CD refreshed as by its git webhook) and the dashboard rejects it
        repo.Write("clusters/eks-prod/otel/12-otel-gateway.yaml", File.ReadAllText(Path.Combine(RepoPaths.Scenario("payments-gitops"), "revisions", "12-otel-gateway-without-cumulativetodelta.yaml")));
        var defect = repo.Commit("gateway: drop cumulativetodelta");
        lab.ArgoCd!.Refresh("otel-pipeline");
        var waiting = await WaitForCommandsAsync(app, ResourceCommandState.Enabled, ct);
        var rejected = await app.ResourceCommands.ExecuteCommandAsync(LabResourceNames.ServiceNow, "reject-change", ct);

        // Then the request the resource showed is rejected, the revision never syncs, and nothing waits any more
        Assert.True(rejected.Success, rejected.Message);
        Assert.Contains(defect[..7], waiting, StringComparison.Ordinal);
        Assert.Matches(@"^change request CHG\d{7} rejected \(state -5, approval rejected\): Argo CD sync of otel-pipeline to " + defect[..7], rejected.Message);
        await WaitForCommandsAsync(app, ResourceCommandState.Disabled, ct);
        Assert.NotEqual(defect, lab.ArgoCd.StatusOf("otel-pipeline").OperationState?.Revision);

        // When its revert is committed and approved from the dashboard
        // (with the owners ConfigMap, as payments-gitops does: a revert alone leaves the live objects Synced, nothing to gate)
        repo.Write("clusters/eks-prod/otel/12-otel-gateway.yaml", File.ReadAllText(Path.Combine(fixedManifests, "12-otel-gateway.yaml")));
        repo.Write("clusters/eks-prod/otel/50-pipeline-owners.yaml", File.ReadAllText(Path.Combine(RepoPaths.Scenario("payments-gitops"), "revisions", "50-pipeline-owners.yaml")));
        var revert = repo.Commit("Revert the gateway change; record the pipeline's owners");
        lab.ArgoCd.Refresh("otel-pipeline");
        waiting = await WaitForCommandsAsync(app, ResourceCommandState.Enabled, ct);
        var approved = await app.ResourceCommands.ExecuteCommandAsync(LabResourceNames.ServiceNow, "approve-change", ct);

        // Then Argo CD syncs it
        Assert.True(approved.Success, approved.Message);
        Assert.Contains(revert[..7], waiting, StringComparison.Ordinal);
        Assert.Matches(@"^change request CHG\d{7} approved \(state -2, approval approved\)", approved.Message);
        var synced = await lab.ArgoCd.WaitForAsync("otel-pipeline", s => s.OperationState is { Phase: "Succeeded" } op && op.Revision == revert && s.SyncStatus == "Synced", Bound, ct);
        Assert.Contains(synced.OperationState!.Resources, r => r is { Kind: "ConfigMap", Name: "otel-pipeline-owners", Status: "Synced" });

        // And the Application's status in the API server holds that result (a core kind's result carries group "")
        using var dir = new OtelLab.Tests.Support.TempDirectory();
        var written = string.Empty;
        var until = DateTime.UtcNow + Bound;
        while (written != revert && DateTime.UtcNow < until)
        {
            var (_, stdout, _) = await Kubectl.RunAsync(lab.KubeconfigPath!, dir.Path, Kubectl.Default, "get", "application", "otel-pipeline", "-n", "argocd",
                "-o", "jsonpath={.status.operationState.syncResult.revision}");
            written = stdout.Trim();
        }

        Assert.Equal(revert, written);
    }

    // Both commands in one state on the ServiceNow resource; returns the pending request the resource then shows.
    private static async Task<string> WaitForCommandsAsync(DistributedApplication app, ResourceCommandState state, CancellationToken ct)
    {
        var e = await app.ResourceNotifications.WaitForResourceAsync(LabResourceNames.ServiceNow, x =>
            x.Snapshot.Commands.Where(c => c.Name is "approve-change" or "reject-change").Count(c => c.State == state) == 2, ct).WaitAsync(Bound, ct);
        return e.Snapshot.Properties.FirstOrDefault(p => p.Name == "servicenow.pending")?.Value as string ?? string.Empty;
    }
}
