using OtelLab.Model.Manifests;
using OtelLab.Scenarios.Checks;
using OtelLab.Scenarios.Definition;
using OtelLab.Scenarios.Reporting;
using OtelLab.Tests.Sim.ApiServer.Streams;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Scenarios.Checks;

/// <summary>
/// The <c>kubectl-steps</c> check runs a scenario's <c>steps:</c> with the real kubectl (1.32 and 1.27) against a running
/// payments-fixed lab: the guide's Validation commands pass, a missed expectation is a finding with the command, its
/// output and what was expected, and a kubectl that is not installed is named with its package.
/// </summary>
[Trait("Category", "Lab")]
public sealed class KubectlStepsCheckTests(GuideLabFixture lab) : IClassFixture<GuideLabFixture>
{
    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task The_guides_validation_steps_of_payments_fixed_meet_their_expectations_and_go_to_the_report()
    {
        // Given payments-fixed's own steps: the guide's Validation 1–4 (the lab's probe traffic sends spans without a load)
        ScenarioRun.SkipUnlessRunnable();
        var scenario = lab.Lab.Scenario;
        var steps = scenario.Steps;
        Assert.Equal(8, steps.Count);
        Assert.Contains(steps, s => s.Version == "1.27");

        // When the check runs them
        var result = await new KubectlStepsCheck().RunAsync(Context(scenario with { Steps = steps }), TestContext.Current.CancellationToken);

        // Then every one passes, and the report carries each command with its output
        Assert.True(result.Outcome == CheckOutcome.Pass, string.Join("\n", result.Findings.SelectMany(f => f.Evidence.Prepend(f.Message))));
        Assert.Equal(steps.Count, result.Transcript.Count(l => l.StartsWith("$ kubectl", StringComparison.Ordinal)));
        Assert.Contains("$ kubectl get opentelemetrycollectors -n observability", result.Transcript);
        Assert.Contains("$ kubectl.1.27 get opentelemetrycollectors -n observability", result.Transcript);
        Assert.Contains(result.Transcript, l => l.StartsWith("otel-prometheus-collector-2 ", StringComparison.Ordinal));
        Assert.Contains(result.Transcript, l => l.StartsWith("… ", StringComparison.Ordinal) && l.EndsWith(" more line(s)", StringComparison.Ordinal)); // a metrics page, capped
        var markdown = ReportMarkdownWriter.Write(new ScenarioRunResult { Scenario = scenario.Name, Checks = [result], StartedAt = DateTimeOffset.UnixEpoch, Duration = TimeSpan.Zero });
        Assert.Contains("## kubectl steps (`kubectl-steps`)", markdown);
        Assert.Contains("$ kubectl get pods -n observability -l app.kubernetes.io/managed-by=opentelemetry-operator", markdown);
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_missed_expectation_is_a_finding_with_the_command_its_output_and_what_was_expected()
    {
        // Given a step that expects a collector the scenario does not have, and one whose kubectl fails
        ScenarioRun.SkipUnlessRunnable();
        var steps = ScenarioLoader.Parse(Path.Combine(lab.Scratch, "scenario.yaml"), """
            name: steps
            steps:
            - kubectl: [get, opentelemetrycollectors, -n, observability]
              expect: { stdoutContains: [otel-sidecar] }
            - kubectl: [get, pod, nope, -n, observability]
              kubectlVersion: "1.27"
            """).Steps;

        // When the check runs them
        var result = await new KubectlStepsCheck().RunAsync(Context(lab.Lab.Scenario with { Steps = steps }), TestContext.Current.CancellationToken);

        // Then both fail, each with its command, file:line, what it printed and what was expected
        Assert.Equal(CheckOutcome.Fail, result.Outcome);
        Assert.Equal(2, result.Findings.Count);
        var (missing, notFound) = (result.Findings[0], result.Findings[1]);
        Assert.Equal("kubectl get opentelemetrycollectors -n observability: stdout does not contain \"otel-sidecar\"", missing.Message);
        Assert.Equal(3, missing.Location.Line);
        Assert.Contains(missing.Evidence, e => e.StartsWith("stdout: otel-gateway ", StringComparison.Ordinal));
        Assert.Equal("kubectl.1.27 get pod nope -n observability: exit code 1, expected 0", notFound.Message);
        Assert.Contains("stderr: Error from server (NotFound): pods \"nope\" not found", notFound.Evidence);
        Assert.Contains("(exit code 1)", result.Transcript);
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_kubectl_version_that_is_not_installed_is_a_finding_naming_the_package()
    {
        // Given a step for kubectl 1.27 and a folder without that binary
        ScenarioRun.SkipUnlessRunnable();
        using var empty = new TempDirectory();
        var steps = ScenarioLoader.Parse("scenario.yaml", "name: x\nsteps:\n- { kubectl: [version], kubectlVersion: \"1.27\" }\n").Steps;

        // When the check runs it
        var result = await new KubectlStepsCheck(empty.Path).RunAsync(Context(lab.Lab.Scenario with { Steps = steps }), TestContext.Current.CancellationToken);

        // Then the finding names the missing binary and the package that ships it
        var finding = Assert.Single(result.Findings);
        Assert.Contains($"kubectl 1.27 is not installed ({empty.Path}/kubectl.1.27 does not exist): install the Debian package kubectl", finding.Message, StringComparison.Ordinal);
        Assert.Equal(CheckOutcome.Fail, result.Outcome);
    }

    private CheckContext Context(ScenarioDefinition scenario) => new()
    {
        Scenario = scenario,
        Manifests = ManifestLoader.Load(scenario.ManifestPaths, recursive: true),
        Lab = lab.Lab,
        DataWithin = TimeSpan.Zero,
    };
}
