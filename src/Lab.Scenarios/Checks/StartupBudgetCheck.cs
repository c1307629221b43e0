using OtelLab.Lint;
using OtelLab.Model;

namespace OtelLab.Scenarios.Checks;

/// <summary>The lab came up (every resource Running) within the scenario's start-up budget (issue 7: under 15 s).</summary>
public sealed class StartupBudgetCheck : IScenarioCheck
{
    public string Id => "startup-budget";

    public string Title => "Lab ready within the start-up budget";

    public bool NeedsRunningLab => true;

    public Task<CheckResult> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Lab is not { } lab)
        {
            return Task.FromResult(CheckResult.Skip(this, "no running lab"));
        }

        var budget = context.Scenario.Expectations.StartupBudget;
        var failed = lab.Graph.Snapshots().Where(s => s.State != Resources.ResourceState.Running).ToList();
        var time = lab.StartupTime;
        var pass = time is { } t && t <= budget;
        var slowest = lab.Cluster is { } cluster ? PodStatus.Slowest(cluster.List<k8s.Models.V1Pod>(), 3) : [];
        return Task.FromResult(new CheckResult
        {
            Id = Id,
            Title = Title,
            Outcome = pass ? CheckOutcome.Pass : CheckOutcome.Fail,
            Summary = (time is { } s ? $"ready in {s.TotalSeconds:0.00} s (budget {budget.TotalSeconds:0.#} s)" : "the lab did not come up")
                + (slowest.Count > 0 ? $"; slowest pods: {string.Join(", ", slowest)}" : ""),
            Figures = time is { } v ? [new("startup", v.TotalSeconds, "s"), new("budget", budget.TotalSeconds, "s")] : [new("budget", budget.TotalSeconds, "s")],
            Findings = pass ? [] :
            [
                new Finding
                {
                    RuleId = time is null ? "lab-not-ready" : "startup-over-budget",
                    Severity = Severity.Error,
                    Object = $"scenario {context.Scenario.Name}",
                    Location = context.Scenario.File is { } f ? new SourceLocation(f, 1, 1) : SourceLocation.None,
                    Message = time is null ? "the lab did not come up" : $"the lab took {time.Value.TotalSeconds:0.00} s to be ready (budget {budget.TotalSeconds:0.#} s)",
                    Evidence = [.. failed.Select(r => $"resource {r.Name}: {r.State}{(r.Reason is null ? "" : " — " + r.Reason)}"),
                                .. lab.Graph.Snapshots().Where(r => r.ReadyAfter is not null).Select(r => $"{r.Name} ready after {r.ReadyAfter!.Value.TotalMilliseconds:0} ms"),
                                .. slowest.Select(p => $"pod {p}")],
                    Why = "a slow or failed start-up hides the first scrape rounds and the first traces from the run",
                    Fix = "read the failed resource's reason and log (dashboard /api/logs/NAME)",
                },
            ],
        });
    }
}
