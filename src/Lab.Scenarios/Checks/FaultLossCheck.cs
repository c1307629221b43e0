using System.Globalization;
using OtelLab.Lint;
using OtelLab.Model;
using OtelLab.Scenarios.Faults;
using OtelLab.Scenarios.Monitoring;

namespace OtelLab.Scenarios.Checks;

/// <summary>
/// What a run with <c>faults:</c> steps lost, measured and attributed (<see cref="FaultLossReport"/>).
/// Error traces are the yardstick (keep-all-errors keeps every one, so each missing one was lost, not sampled out).
/// Passes when every lost error trace is accounted for: by the traces a killed collector held undecided when it went
/// (lost with its tail-sampling buffer), or by exporters that counted what they dropped (send_failed, enqueue_failed).
/// A loss the lab cannot attribute fails: that is the silent loss the lab exists to surface. Any loss is reported as a
/// warning with its figures, the "measured, reported amount" of killing a gateway mid-load.
/// </summary>
public sealed class FaultLossCheck : IScenarioCheck
{
    public string Id => "fault-loss";

    public string Title => "What the scenario's faults lost, measured and attributed";

    public bool NeedsRunningLab => true;

    public async Task<CheckResult> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Lab is not { } lab)
        {
            return CheckResult.Skip(this, "no running lab");
        }

        if (context.Scenario.Faults.Count == 0)
        {
            return CheckResult.Skip(this, "the scenario has no faults: steps");
        }

        if (lab.LoadRun is null)
        {
            return CheckResult.Skip(this, "the scenario sends no load: no error traces to count losses by");
        }

        // The load's own report says how many error traces it made; a load without a duration is stopped here.
        await lab.StopLoadAsync().ConfigureAwait(false);
        var load = await lab.LoadRun.WaitAsync(context.DataWait, cancellationToken).ConfigureAwait(false);
        var drain = PipelineDrain.Mark(lab);

        // Then the survivors decide and export what they hold (bounded by the rest of dataWithin + decision_wait + 1 s tick).
        var decisionWait = CollectorFleet.Of(lab).SelectMany(c => c.TailSampling).Select(t => t.Config.DecisionWait).DefaultIfEmpty(TimeSpan.Zero).Max();
        var bound = context.DataWait + context.SettleWait(decisionWait + TimeSpan.FromSeconds(1));
        var started = TimeProvider.System.GetTimestamp();
        while (!drain.IsDrained(lab) && TimeProvider.System.GetElapsedTime(started) < bound)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
        }

        var settled = drain.IsDrained(lab);
        return Judge(FaultLossReport.Measure(lab, load.ServerErrors), settled, context.Scenario.Faults[0].Location, lab.FaultEvents.Select(e => $"{e.Step} → {e.Outcome} at +{e.At.TotalSeconds:0.0} s"));
    }

    /// <summary>The verdict on a measured report (public for tests: the attribution rule without a lab).</summary>
    public CheckResult Judge(FaultLossReport report, bool settled, SourceLocation location, IEnumerable<string> steps)
    {
        ArgumentNullException.ThrowIfNull(report);
        var lost = report.ErrorTracesStored.Count == 0 ? 0 : report.ErrorTracesStored.Values.Max(stored => Math.Max(0, report.ErrorTracesGenerated - stored));
        var undecided = report.Killed.Sum(k => k.TracesUndecided);
        var dropped = report.SendFailedSpans + report.EnqueueFailedSpans;
        var unattributed = dropped > 0 ? 0 : Math.Max(0, lost - undecided);
        var figures = new List<CheckFigure> { new("error traces generated", report.ErrorTracesGenerated) };
        figures.AddRange(report.ErrorTracesStored.Select(kv => new CheckFigure($"{kv.Key} error traces lost", Math.Max(0, report.ErrorTracesGenerated - kv.Value))));
        figures.Add(new("traces undecided in killed collectors", undecided));
        figures.Add(new("spans dropped by running exporters", dropped));
        figures.Add(new("unattributed error traces lost", unattributed));
        var evidence = report.Lines().Concat(steps).Append(settled ? "the pipeline had drained when measured" : "measured before the pipeline drained (bounded wait ran out)").ToList();
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"{lost} of {report.ErrorTracesGenerated} error trace(s) lost; {undecided} trace(s) undecided in killed collectors, {dropped} span(s) dropped by exporters; {unattributed} unattributed");
        if (unattributed > 0)
        {
            return new CheckResult
            {
                Id = Id,
                Title = Title,
                Outcome = CheckOutcome.Fail,
                Summary = summary,
                Figures = figures,
                Findings =
                [
                    new Finding
                    {
                        RuleId = "fault-loss-unattributed",
                        Severity = Severity.Error,
                        Object = "scenario faults",
                        Location = location,
                        Message = $"{unattributed} error trace(s) lost that no killed buffer and no exporter counter accounts for",
                        Evidence = evidence,
                        Why = "a loss no counter records is silent in production: nothing alerts on it",
                        Fix = "find the hop that drops without counting (a receiver refusing, a queue without persistence, a sampler deciding twice)",
                    },
                ],
            };
        }

        return new CheckResult
        {
            Id = Id,
            Title = Title,
            Outcome = CheckOutcome.Pass,
            Summary = summary,
            Figures = figures,
            Findings = lost == 0 ? [] :
            [
                new Finding
                {
                    RuleId = "fault-loss",
                    Severity = Severity.Warning,
                    Object = "scenario faults",
                    Location = location,
                    Message = $"the faults lost {lost} of {report.ErrorTracesGenerated} error trace(s), all attributed",
                    Evidence = evidence,
                    Why = "a killed gateway takes the traces in its tail-sampling buffer (up to decision_wait of traffic) with it; agents whose exporter gives up drop what they queued",
                    Fix = "keep the loss bounded: shorter decision_wait, a sending_queue with file_storage on the agents, and PodDisruptionBudgets so gateways are not all restarted at once",
                },
            ],
        };
    }
}
