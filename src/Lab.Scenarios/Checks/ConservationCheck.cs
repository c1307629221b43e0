using System.Globalization;
using OtelLab.Lint;
using OtelLab.Scenarios.Checks.Internal;
using OtelLab.Scenarios.Monitoring;
using OtelLab.Sim.Collector.Processors.TailSampling;

namespace OtelLab.Scenarios.Checks;

/// <summary>
/// Conservation of spans through agent → gateway: spans accepted at the agents = kept + sampled out + dropped with a
/// recorded reason (drop policy, num_traces eviction, the agents' send / enqueue failures), with zero unexplained
/// loss. Agents are the collectors that accept spans and run no tail_sampling; gateways are those that do (assumes the
/// agents export traces to the gateways only). To judge a quiet pipeline it stops the scenario's load, then waits
/// until the account balances or until dataWithin plus the longest decision_wait (+1 s ticker) has passed.
/// </summary>
public sealed class ConservationCheck : IScenarioCheck
{
    public string Id => "span-conservation";

    public string Title => "Every span the agents accepted is kept, sampled out or dropped with a recorded reason";

    public bool NeedsRunningLab => true;

    public async Task<CheckResult> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Lab is not { } lab)
        {
            return CheckResult.Skip(this, "no running lab");
        }

        var gateways = CollectorFleet.Of(lab).Where(c => c.TailSampling.Any()).ToList();
        if (gateways.Count == 0)
        {
            return CheckResult.Skip(this, "no tail_sampling processor runs in the lab: nothing to account kept and sampled-out spans against");
        }

        var decisionWait = gateways.SelectMany(g => g.TailSampling).Max(t => t.Config.DecisionWait);
        var bound = context.DataWithin + decisionWait + TimeSpan.FromSeconds(1);
        var started = DateTimeOffset.UtcNow;
        var stopped = await lab.StopLoadAsync().ConfigureAwait(false);
        var account = Measure(lab);
        while (!account.Balanced && DateTimeOffset.UtcNow - started < bound)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
            account = Measure(lab);
        }

        var drain = string.Create(CultureInfo.InvariantCulture,
            $"{(stopped ? "load stopped, then" : "no load running;")} waited {(DateTimeOffset.UtcNow - started).TotalSeconds:0.0} s for the pipeline to drain (bound: dataWithin {context.DataWithin.TotalSeconds:0.#} s + decision_wait {decisionWait.TotalSeconds:0.#} s + 1 s tick)");
        return Judge(account, drain, CollectorComponents.FindProcessor(context.Manifests, "tail_sampling"));
    }

    /// <summary>Reads the account from the running collectors (the gateways' ledgers first, then the agents: spans in flight show as unexplained, never as negative).</summary>
    public static SpanConservation Measure(SimLab lab)
    {
        ArgumentNullException.ThrowIfNull(lab);
        var fleet = CollectorFleet.Of(lab);
        var gateways = fleet.Where(c => c.TailSampling.Any()).ToList();
        var ledgers = gateways.SelectMany(g => g.TailSampling).Select(t => t.Processor.Ledger).ToList();
        var pending = ledgers.Sum(l => l.Pending);
        var kept = ledgers.Sum(l => l.SpansWith(TraceOutcome.Kept));
        var sampledOut = ledgers.Sum(l => l.SpansWith(TraceOutcome.SampledOut));
        var dropped = ledgers.Sum(l => l.SpansWith(TraceOutcome.DroppedByPolicy));
        var tooEarly = ledgers.Sum(l => l.SpansWith(TraceOutcome.DroppedTooEarly));
        var agents = fleet.Where(c => !c.TailSampling.Any()).ToList();
        return new SpanConservation
        {
            Pending = pending,
            Kept = kept,
            SampledOut = sampledOut,
            DroppedByPolicy = dropped,
            DroppedTooEarly = tooEarly,
            GatewayRefused = gateways.Sum(g => g.Counter(CollectorMetricNames.ReceiverRefusedSpans)),
            AgentSendFailed = agents.Sum(a => a.Counter(CollectorMetricNames.ExporterSendFailedSpans)),
            AgentEnqueueFailed = agents.Sum(a => a.Counter(CollectorMetricNames.ExporterEnqueueFailedSpans)),
            AgentRefused = agents.Sum(a => a.Counter(CollectorMetricNames.ProcessorRefusedSpans)),
            AcceptedAtAgents = agents.Sum(a => a.Counter(CollectorMetricNames.ReceiverAcceptedSpans)),
        };
    }

    /// <summary>Passes when the account balances with nothing pending; skips when no span reached the agents.</summary>
    public CheckResult Judge(SpanConservation account, string drain, (string Object, Model.SourceLocation Location) at)
    {
        ArgumentNullException.ThrowIfNull(account);
        var figures = new List<CheckFigure>
        {
            new("accepted at agents", account.AcceptedAtAgents),
            new("kept", account.Kept),
            new("sampled out", account.SampledOut),
            new("dropped by policy", account.DroppedByPolicy),
            new("evicted before decision", account.DroppedTooEarly),
            new("agent send failed", account.AgentSendFailed),
            new("agent enqueue failed", account.AgentEnqueueFailed),
            new("pending", account.Pending),
            new("unexplained", account.Unexplained),
        };
        if (account.AcceptedAtAgents == 0 && account.Explained == 0 && account.Pending == 0)
        {
            return new CheckResult { Id = Id, Title = Title, Outcome = CheckOutcome.Skipped, Summary = $"no span reached the agents: nothing to account ({drain})", Figures = figures };
        }

        var evidence = new List<string>(account.Terms()) { drain };
        if (account.Balanced)
        {
            return new CheckResult
            {
                Id = Id,
                Title = Title,
                Outcome = CheckOutcome.Pass,
                Summary = $"{account.AcceptedAtAgents} accepted = {account.Kept} kept + {account.SampledOut} sampled out + {account.DroppedByPolicy + account.DroppedTooEarly + account.AgentSendFailed + account.AgentEnqueueFailed} dropped with a reason; 0 unexplained",
                Figures = figures,
            };
        }

        var message = account.Pending > 0 && account.Unexplained == 0
            ? $"the pipeline did not drain: {account.Pending} span(s) still wait for a tail-sampling decision"
            : account.Unexplained > 0
                ? $"{account.Unexplained} span(s) accepted at the agents are neither kept, sampled out nor dropped with a recorded reason"
                : $"{-account.Unexplained} span(s) more were accounted for than the agents accepted (counted twice, or they did not come through the agents)";
        return new CheckResult
        {
            Id = Id,
            Title = Title,
            Outcome = CheckOutcome.Fail,
            Summary = message,
            Figures = figures,
            Findings =
            [
                new Finding
                {
                    RuleId = "span-conservation",
                    Severity = Severity.Error,
                    Object = at.Object,
                    Location = at.Location,
                    Message = message,
                    Evidence = evidence,
                    Why = "every span an agent accepts must end kept, sampled out by policy, or dropped with a counted reason; unexplained loss is data lost without any metric saying so "
                        + "(a batch processor's \"Sender failed\", a crashed pod, a partial_success counted as sent), and double counting means spans took another path than agent → gateway",
                    Fix = "read the agents' and gateways' logs for \"Sender failed\" / \"Exporting failed\", check restarts, and make sure the agents export traces only to the tail-sampling tier",
                },
            ],
        };
    }
}
