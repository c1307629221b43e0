using OtelLab.Lint;
using OtelLab.Scenarios.Checks;
using OtelLab.Tests.AppHost;
using OtelLab.Tests.SampleServices;
using OtelLab.Tests.Scenarios.Checks.Guide;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Scenarios.Checks;

/// <summary>
/// payments-gitops run as <c>test --scenario payments-gitops</c> runs it: real git commits synced by the emulated
/// Argo CD behind the ServiceNow change gate, the self-heal pitfall and prune, judged by the gitops-change-gate check.
/// </summary>
[Trait("Category", "Lab")]
public sealed class GitOpsChangeGateCheckTests(GuideScenarioRuns runs) : IClassFixture<GuideScenarioRuns>
{
    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    [Trait("Speed", "Slow")]
    public async Task Payments_gitops_holds_the_put_back_defect_until_rejected_syncs_what_is_approved_self_heals_a_delete_and_prunes()
    {
        LabCliRun.SkipWithoutLoopbackSupport();
        SampleServiceChain.SkipUnlessRunnable();

        // Given payments-gitops with its load and its gitops steps (three real commits, the gate's decisions, a kubectl delete)
        var run = await runs.RunAsync("payments-gitops");
        var check = run.Check("gitops-change-gate");

        // Then every step ran and the gate held: 3 commits, 3 change requests, the defect rejected and never synced (the
        // check fails otherwise); the hold's ChangeGate message can lag on a loaded machine (the verdict is computed first)
        Assert.True(check.Outcome == CheckOutcome.Pass, run.Describe());
        Assert.Equal(11, check.Figures.Single(f => f.Name == "steps run").Value);
        Assert.Equal(3, check.Figures.Single(f => f.Name == "commits").Value);
        Assert.Equal(3, check.Figures.Single(f => f.Name == "change requests").Value);
        Assert.StartsWith("3 commit(s), 3 change request(s), 2 approved, 1 rejected; held until decided: sync held: otel-pipeline OutOfSync at ", check.Summary, StringComparison.Ordinal);
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(check.Summary, @"OutOfSync at [0-9a-f]{7} for \d+\.\d s, not synced"), check.Summary);
        Assert.True(run.Check("dynatrace-metric-rejections").Outcome == CheckOutcome.Pass, run.Describe());

        // Then prune removed what the last commit took out of git
        Assert.Contains("ConfigMap/otel-pipeline-owners Pruned", check.Summary, StringComparison.Ordinal);

        // Then the self-heal pitfall is a note whose evidence is Argo CD's timeline: missing, then back
        var pitfall = Assert.Single(check.Findings, f => f.RuleId == "gitops-self-heal-pitfall");
        Assert.Equal(Severity.Note, pitfall.Severity);
        Assert.Equal("configmap observability/otel-pipeline-owners", pitfall.Object);
        Assert.Contains(pitfall.Evidence, e => e.Contains("ConfigMap/otel-pipeline-owners (missing)", StringComparison.Ordinal));
        Assert.Contains(pitfall.Evidence, e => e.Contains("came back: ConfigMap observability/otel-pipeline-owners recreated ", StringComparison.Ordinal));
        Assert.DoesNotContain(check.Findings, f => f.Severity == Severity.Error);
    }
}
