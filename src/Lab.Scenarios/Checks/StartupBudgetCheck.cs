using OtelLab.Lint;
using OtelLab.Model;

namespace OtelLab.Scenarios.Checks;

/// <summary>The lab came up (every resource Running) within the scenario's start-up budget (15 s by default).</summary>
public sealed class StartupBudgetCheck : IScenarioCheck
{
    public string Id => "startup-budget";

    public string Title => "Lab ready within the start-up budget";

    public bool NeedsRunningLab => true;

    public async Task<CheckResult> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Lab is not { } lab)
        {
            return CheckResult.Skip(this, "no running lab");
        }

        var budget = context.Scenario.Expectations.StartupBudget;
        var failed = lab.Graph.Snapshots().Where(s => s.State != Resources.ResourceState.Running).ToList();
        var time = lab.StartupTime;
        var slowest = lab.Cluster is { } cluster ? PodStatus.Slowest(cluster.List<k8s.Models.V1Pod>(), 3) : [];

        // The start-up includes "first scrape round complete": with a farm, the lab is ready for this budget
        // only once every farm target has served a scrape. Waiting past the budget would not change the verdict.
        var targets = lab.Scenario.Targets.Count;
        TimeSpan? round = null;
        if (time is not null && targets > 0)
        {
            var left = budget - lab.Graph.Elapsed;
            if (!lab.FirstScrapeRound.IsCompleted && left > TimeSpan.Zero)
            {
                await Task.WhenAny(lab.FirstScrapeRound, Task.Delay(left, TimeProvider.System, cancellationToken)).ConfigureAwait(false);
            }

            round = lab.FirstScrapeRound.IsCompletedSuccessfully ? lab.FirstScrapeRound.Result : null;
        }

        var scraped = lab.FarmTargetsScraped;
        var roundOk = targets <= 0 || round is { } r && r <= budget;
        var pass = time is { } t && t <= budget && roundOk;
        var roundText = targets <= 0 ? "" : round is { } rt
            ? $"; first scrape round of {targets:N0} farm targets complete at {rt.TotalSeconds:0.00} s"
            : $"; first scrape round incomplete: {scraped:N0} of {targets:N0} farm targets scraped";
        return new CheckResult
        {
            Id = Id,
            Title = Title,
            Outcome = pass ? CheckOutcome.Pass : CheckOutcome.Fail,
            Summary = (time is { } s ? $"ready in {s.TotalSeconds:0.00} s (budget {budget.TotalSeconds:0.#} s)" : "the lab did not come up")
                + roundText
                + (slowest.Count > 0 ? $"; slowest pods: {string.Join(", ", slowest)}" : ""),
            Figures =
            [
                .. time is { } v ? [new CheckFigure("startup", v.TotalSeconds, "s")] : Array.Empty<CheckFigure>(),
                .. round is { } fr ? [new CheckFigure("first-scrape-round", fr.TotalSeconds, "s")] : Array.Empty<CheckFigure>(),
                .. targets > 0 ? [new CheckFigure("farm-targets-scraped", scraped, "targets")] : Array.Empty<CheckFigure>(),
                new CheckFigure("budget", budget.TotalSeconds, "s"),
            ],
            Findings = pass ? [] :
            [
                new Finding
                {
                    RuleId = time is null ? "lab-not-ready" : "startup-over-budget",
                    Severity = Severity.Error,
                    Object = $"scenario {context.Scenario.Name}",
                    Location = context.Scenario.File is { } f ? new SourceLocation(f, 1, 1) : SourceLocation.None,
                    Message = time is null ? "the lab did not come up"
                        : time.Value > budget ? $"the lab took {time.Value.TotalSeconds:0.00} s to be ready (budget {budget.TotalSeconds:0.#} s)"
                        : $"the first scrape round was not complete within the {budget.TotalSeconds:0.#} s budget{roundText}",
                    Evidence = [.. failed.Select(r => $"resource {r.Name}: {r.State}{(r.Reason is null ? "" : " — " + r.Reason)}"),
                                .. lab.Graph.Snapshots().Where(r => r.ReadyAfter is not null).Select(r => $"{r.Name} ready after {r.ReadyAfter!.Value.TotalMilliseconds:0} ms"),
                                .. slowest.Select(p => $"pod {p}"),
                                .. targets > 0 ? [$"farm targets scraped at least once: {scraped:N0} of {targets:N0}"] : Array.Empty<string>()],
                    Why = "a slow or failed start-up hides the first scrape rounds and the first traces from the run",
                    Fix = time is null || time.Value > budget
                        ? "read the failed resource's reason and log (dashboard /api/logs/NAME)"
                        : "a target the Target Allocator never assigns is never scraped (see the sharding checks); a round slower than the budget needs a shorter scrape interval (timeScale) or fewer targets",
                },
            ],
        };
    }
}
