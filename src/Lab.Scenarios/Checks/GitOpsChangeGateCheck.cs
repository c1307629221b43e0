using System.Globalization;
using OtelLab.Lint;
using OtelLab.Scenarios.Definition;
using OtelLab.Scenarios.GitOps;

namespace OtelLab.Scenarios.Checks;

/// <summary>
/// The scenario's gitops steps did what they say, with real commits and the ServiceNow change gate in front of Argo
/// CD: every step ran; a rejected revision was never synced; an approved one was synced and its change request
/// closed with the sync result. Evidence is the timeline (lab time from the start of the load) and the change requests.
/// </summary>
public sealed class GitOpsChangeGateCheck : IScenarioCheck
{
    /// <summary>The longest the check waits for the steps to finish (wall time).</summary>
    public static readonly TimeSpan StepsBound = TimeSpan.FromMinutes(3);

    public string Id => "gitops-change-gate";

    public string Title => "GitOps commits go through the change gate";

    public bool NeedsRunningLab => true;

    public async Task<CheckResult> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Scenario.GitOps is not { Steps.Count: > 0 } spec)
        {
            return CheckResult.Skip(this, "the scenario has no gitops steps");
        }

        if (context.Lab?.GitOpsRun is not { } run || context.Lab.ArgoCd is not { } argo)
        {
            return CheckResult.Skip(this, "no gitops steps ran (the caller mapped its own repository, or Argo CD did not start)");
        }

        try
        {
            await run.Completion.WaitAsync(StepsBound, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // judged on what ran so far
        }

        var events = run.Events;
        var evidence = events.Select(e => string.Create(CultureInfo.InvariantCulture, $"+{e.At.TotalSeconds:0.0} s {e.Step}: {e.Outcome}")).ToList();
        var syncs = argo.Timeline.Select(t => t.What).Where(w => w.StartsWith("sync to ", StringComparison.Ordinal)).ToList();
        var changes = context.Lab.ChangeBoard is { } board ? await board.ChangesAsync(cancellationToken).ConfigureAwait(false) : [];
        evidence.AddRange(changes.Select(c => $"{(string?)c["number"]}: state {(string?)c["state"]}, approval {(string?)c["approval"]}, close_code {(string?)c["close_code"]}: {(string?)c["short_description"]}"));
        // Argo CD's own timeline (status changes, syncs, self-heals, gate decisions), lab time from the first entry.
        var timeline = argo.Timeline.ToList();
        evidence.AddRange(timeline.TakeLast(60).Select(t => string.Create(CultureInfo.InvariantCulture, $"argocd +{(t.At - timeline[0].At).TotalSeconds:0.0} s {t.Application}: {t.What}")));
        var findings = new List<Finding>();
        if (events.Count < spec.Steps.Count)
        {
            findings.Add(Finding(spec.Steps[events.Count], $"gitops step {events.Count + 1} of {spec.Steps.Count} did not finish within {StepsBound.TotalMinutes:0} min", evidence));
        }

        foreach (var failed in events.Where(e => !e.Ok))
        {
            findings.Add(Finding(failed.Step, $"gitops step \"{failed.Step}\" failed: {failed.Outcome}", evidence));
        }

        foreach (var rejected in events.Where(e => e.Step.Kind == GitOpsStepKind.Reject && e.Revision is not null))
        {
            if (syncs.Any(s => s.StartsWith($"sync to {rejected.Revision![..7]}", StringComparison.Ordinal)))
            {
                findings.Add(Finding(rejected.Step, $"revision {rejected.Revision![..7]} was synced although its change request was rejected", evidence));
            }
        }

        foreach (var approved in events.Where(e => e.Step.Kind == GitOpsStepKind.Approve && e.Ok))
        {
            var change = changes.FirstOrDefault(c => approved.Outcome.Contains((string?)c["number"] ?? "?", StringComparison.Ordinal));
            if (change is not null && (string?)change["state"] != "3" && events.Any(e => e.Step.Kind == GitOpsStepKind.WaitForSync))
            {
                findings.Add(Finding(approved.Step, $"change request {(string?)change["number"]} was approved and synced but not closed (state {(string?)change["state"]})", evidence));
            }
        }

        foreach (var deleted in events.Where(e => e.Step.Kind == GitOpsStepKind.Delete && e.Ok && e.Outcome.Contains("self-healed", StringComparison.Ordinal)))
        {
            findings.Add(SelfHealPitfall(deleted, timeline));
        }

        var held = events.Where(e => e.Step.Kind == GitOpsStepKind.Wait && e.Revision is not null).ToList();
        return new CheckResult
        {
            Id = Id,
            Title = Title,
            Outcome = findings.Any(f => f.Severity == Severity.Error) ? CheckOutcome.Fail : CheckOutcome.Pass,
            Summary = $"{events.Count(e => e.Step.Kind == GitOpsStepKind.Commit)} commit(s), {changes.Count} change request(s), "
                + $"{events.Count(e => e.Step.Kind == GitOpsStepKind.Approve && e.Ok)} approved, {events.Count(e => e.Step.Kind == GitOpsStepKind.Reject && e.Ok)} rejected; "
                + (held.Count > 0 ? $"held until decided: {string.Join("; ", held.Select(h => h.Outcome))}" : "no hold measured")
                + string.Concat(events.Where(e => e.Step.Kind == GitOpsStepKind.Delete).Select(e => $"; {e.Step}: {e.Outcome}"))
                + string.Concat(events.Where(e => e.Step.Kind == GitOpsStepKind.WaitForSync && e.Outcome.Contains(" Pruned", StringComparison.Ordinal)).Select(e => $"; prune: {e.Outcome}")),
            Figures =
            [
                new("steps run", events.Count), new("commits", events.Count(e => e.Step.Kind == GitOpsStepKind.Commit)),
                new("change requests", changes.Count), new("syncs", syncs.Count),
            ],
            Findings = findings,
        };
    }

    /// <summary>
    /// The guide's warning, measured: an object deleted under self-heal comes back. A note (the lab did what Argo CD
    /// does) whose evidence is Argo CD's timeline for that object: missing, the self-heal, what came back.
    /// </summary>
    private static Finding SelfHealPitfall(GitOpsStepEvent deleted, IReadOnlyList<(DateTimeOffset At, string Application, string What)> timeline)
    {
        var (kind, ns, name) = deleted.Step.Target!.Value;
        var evidence = timeline.Where(t => t.What.Contains($"/{name}", StringComparison.Ordinal) || t.What.Contains($"{ns}/{name}", StringComparison.Ordinal))
            .Select(t => string.Create(CultureInfo.InvariantCulture, $"argocd +{(t.At - timeline[0].At).TotalSeconds:0.0} s {t.Application}: {t.What}")).ToList();
        return new Finding
        {
            RuleId = "gitops-self-heal-pitfall",
            Severity = Severity.Note,
            Object = $"{kind} {ns}/{name}",
            Location = deleted.Step.Location,
            Message = string.Create(CultureInfo.InvariantCulture, $"{deleted.Step} at +{deleted.At.TotalSeconds:0.0} s did not stick: {deleted.Outcome}"),
            Evidence = evidence,
            Why = "under automated sync with selfHeal, Argo CD recreates what git still declares: a kubectl delete (or edit) is undone within seconds, as the guide warns",
            Fix = "remove it from git (prune deletes it), or follow the guide's teardown: turn auto-sync off by patch, then delete the Application with the resources finalizer",
        };
    }

    private static Finding Finding(GitOpsStep step, string message, IReadOnlyList<string> evidence) => new()
    {
        RuleId = "gitops-change-gate",
        Severity = Severity.Error,
        Object = $"gitops step \"{step}\"",
        Location = step.Location,
        Message = message,
        Evidence = evidence,
        Why = "every merge into the otel path is meant to wait for its change request: a sync that skips the gate, or a gate that never lets an approved change through, breaks the guide's change process",
        Fix = "read the timeline: the change request's approval and the Application's sync status at each step",
    };
}
