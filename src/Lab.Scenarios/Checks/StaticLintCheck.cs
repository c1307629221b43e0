using OtelLab.Lint;

namespace OtelLab.Scenarios.Checks;

/// <summary>The lint rules over the scenario's manifests (no run needed); errors fail it when the scenario expects lint-clean manifests.</summary>
public sealed class StaticLintCheck : IScenarioCheck
{
    public string Id => "lint";

    public string Title => "Static findings (lint)";

    public bool NeedsRunningLab => false;

    public Task<CheckResult> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        // What Argo CD delivers from the scenario's gitops: repository is part of the deployment the rules judge.
        var manifests = context.Scenario.GitOps is { } gitops
            ? Model.Manifests.ManifestLoader.Load([.. context.Scenario.ManifestPaths, .. gitops.Files], recursive: true)
            : context.Manifests;
        var findings = Linter.Run(manifests, install: context.Scenario.Install);
        var errors = findings.Count(f => f.Severity == Severity.Error);
        var warnings = findings.Count(f => f.Severity == Severity.Warning);
        var notes = findings.Count(f => f.Severity == Severity.Note);
        var fail = context.Scenario.Expectations.LintClean && errors > 0;
        return Task.FromResult(new CheckResult
        {
            Id = Id,
            Title = Title,
            Outcome = fail ? CheckOutcome.Fail : CheckOutcome.Pass,
            Summary = $"{errors} error(s), {warnings} warning(s), {notes} note(s) in {manifests.Objects.Count} objects",
            Figures = [new("errors", errors), new("warnings", warnings), new("notes", notes)],
            Findings = findings,
        });
    }
}
