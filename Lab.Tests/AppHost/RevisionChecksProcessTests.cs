using OtelLab.AppHost.Lab;
using OtelLab.Scenarios.Definition;
using OtelLab.Tests.Sim.ArgoCd;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.AppHost;

/// <summary>
/// The change gate's checks for one revision, for real: <c>otel-lab test</c> of payments-gitops synced from a clone at
/// that revision, in a child process (a lab on its own address slot), read back as the work note.
/// </summary>
[Trait("Category", "Lab")]
public sealed class RevisionChecksProcessTests
{
    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task The_put_back_defect_revision_fails_dynatrace_metric_rejections_in_the_work_note()
    {
        LabCliRun.SkipWithoutLoopbackSupport();

        // Given a repository whose head drops cumulativetodelta from the gateway
        using var repo = new TempGitRepository();
        var fixedManifests = Path.Combine(RepoPaths.Scenario("payments-fixed"), "manifests");
        foreach (var f in new[] { "10-otel-agent.yaml", "11-otel-prometheus.yaml" })
        {
            repo.Write("clusters/eks-prod/otel/" + f, File.ReadAllText(Path.Combine(fixedManifests, f)));
        }

        repo.Write("clusters/eks-prod/otel/12-otel-gateway.yaml", File.ReadAllText(Path.Combine(RepoPaths.Scenario("payments-gitops"), "revisions", "12-otel-gateway-without-cumulativetodelta.yaml")));
        var defect = repo.Commit("gateway: drop cumulativetodelta");
        var scenario = ScenarioLoader.Load(RepoPaths.Scenario("payments-gitops"));

        // When
        var note = await RevisionChecksProcess.RunAsync(scenario, repo.RepoPath, defect, TestContext.Current.CancellationToken);
        TestContext.Current.TestOutputHelper?.WriteLine(note);

        // Then
        Assert.StartsWith($"Lab checks for {defect[..7]}: FAIL (otel-lab test of the scenario synced from this revision, ", note, StringComparison.Ordinal);
        Assert.Matches(@"\n- FAIL dynatrace-metric-rejections: dynatrace accepted \d+ metric point\(s\) and rejected [1-9]\d*", note);
    }
}
