using System.Globalization;
using OtelLab.Lint;
using OtelLab.Model;
using OtelLab.Scenarios.Health;

namespace OtelLab.Scenarios.Checks;

/// <summary>
/// Whether the simulator kept its own schedule during the run (<see cref="SimulationHealthMonitor"/>): passes when it
/// stayed within tolerance; when it fell behind, the run's timing verdicts cannot be trusted and this check says by how
/// much and what to change, as not trustworthy (the pipeline did nothing wrong).
/// </summary>
public sealed class SimulationHealthCheck : IScenarioCheck
{
    public string Id => "simulation-health";

    public string Title => "The simulator kept its own schedule";

    public bool NeedsRunningLab => true;

    public Task<CheckResult> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var lab = context.Lab!;
        var health = lab.Health.Summary();
        if (health.Samples == 0)
        {
            return Task.FromResult(CheckResult.Skip(this, "the simulator's health was not sampled (no health monitor ran with this lab)"));
        }

        var inv = CultureInfo.InvariantCulture;
        IReadOnlyList<CheckFigure> figures =
        [
            new("seconds sampled", health.Samples, "s"),
            new("seconds behind", health.BehindSamples, "s"),
            new("behind by", Math.Round(health.BehindBy.TotalMilliseconds), "ms"),
            new("worst timer lateness", Math.Round(health.WorstTimerLateness.TotalMilliseconds), "ms"),
            new("timer lateness limit", Math.Round(health.LatenessLimit.TotalMilliseconds), "ms"),
            new("worst scrape slot wait", Math.Round(health.WorstScrapeSlotWait.TotalMilliseconds), "ms"),
            new("worst export queue wait", Math.Round(health.WorstExportQueueWait.TotalMilliseconds), "ms"),
            new("worst thread-pool probe delay", Math.Round(health.WorstThreadPoolProbeDelay.TotalMilliseconds), "ms"),
            new("cores busy (mean)", Math.Round(health.MeanCoresBusy, 2), "cores"),
            new("GC pause share", Math.Round(health.GcPauseShare * 100, 1), "%"),
            new("timeScale at the end", Math.Round(lab.Clock.Scale, 2), "x"),
        ];
        if (!health.Degraded)
        {
            return Task.FromResult(new CheckResult { Id = Id, Title = Title, Outcome = CheckOutcome.Pass, Summary = health.Describe(), Figures = figures });
        }

        return Task.FromResult(new CheckResult
        {
            Id = Id,
            Title = Title,
            Outcome = CheckOutcome.Untrustworthy,
            Summary = "the simulator was " + health.Describe(),
            Figures = figures,
            Findings =
            [
                new Finding
                {
                    RuleId = Id,
                    Severity = Severity.Warning,
                    Object = $"scenario {context.Scenario.Name}",
                    Location = context.Scenario.File is { } file ? new SourceLocation(file, 1, 1) : SourceLocation.None,
                    Message = string.Create(inv, $"the simulator fell behind its own schedule by {SimulationHealthSummary.Format(health.BehindBy)} ({health.BehindSamples} of {health.Samples} s): the timing checks of this run are not trustworthy"),
                    Evidence = [.. health.WorstBreaches, string.Create(inv, $"{health.MeanCoresBusy:0.0} of {Environment.ProcessorCount} cores busy on average; GC paused {health.GcPauseShare:P1} of the run")],
                    Why = "every target, scraper, collector and backend share this one process; when it cannot keep up, scrapes time out and rates drift because of the lab, not the pipeline",
                    Fix = "run fewer targets (--targets), a smaller shape, or a lower timeScale (the lab lowers it by itself unless up --time-scale forces one); or a machine with more cores",
                    MeasuredHealthy = false,
                },
            ],
        });
    }
}
