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
/// agents export traces to the gateways only).
/// <para>Draining: the check stops the scenario's load, then polls until dataWithin plus the longest decision_wait
/// (+1 s ticker) has passed or the account is proven. The sample services' readiness probes keep a trickle of one-span
/// traces flowing, so the whole pipeline is never empty at once; but each agent empties its batch on every flush. What
/// an agent holds (accepted − sent − failed) is in flight or lost, so its minimum over the polls is an upper bound on
/// what that agent lost without a reason: the account is proven when every agent was seen holding nothing, the
/// gateways were seen accepting exactly what the agents sent (no retransmissions), and the counters agree.</para>
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
        var settle = context.SettleWait(decisionWait + TimeSpan.FromSeconds(1));
        var bound = context.DataWait + settle;
        var started = DateTimeOffset.UtcNow;
        var stopped = await lab.StopLoadAsync().ConfigureAwait(false);
        var drain = new ConservationDrain();
        drain.Observe(Measure(lab));
        while (!drain.Proven && DateTimeOffset.UtcNow - started < bound)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
            drain.Observe(Measure(lab));
        }

        var how = string.Create(CultureInfo.InvariantCulture,
            $"{(stopped ? "load stopped, then" : "no load running;")} polled {drain.Polls} time(s) over {(DateTimeOffset.UtcNow - started).TotalSeconds:0.0} s for the pipeline to drain (bound: the rest of dataWithin {(bound - settle).TotalSeconds:0.#} s + decision_wait {decisionWait.TotalSeconds:0.#} s + 1 s tick of lab time, {settle.TotalSeconds:0.##} s of wall time)");
        return Judge(drain, how, CollectorComponents.FindProcessor(context.Manifests, "tail_sampling"));
    }

    /// <summary>Reads the account from the running collectors: the gateways first, then the agents (spans in flight during the read show as held, never as missing).</summary>
    public static SpanConservation Measure(SimLab lab)
    {
        ArgumentNullException.ThrowIfNull(lab);
        var fleet = CollectorFleet.Of(lab);
        var gateways = fleet.Where(c => c.TailSampling.Any()).ToList();
        var ledgers = gateways.SelectMany(g => g.TailSampling).Select(t => t.Processor.Ledger).ToList();
        var gatewayAccepted = gateways.Sum(g => g.Counter(CollectorMetricNames.ReceiverAcceptedSpans));
        var pending = ledgers.Sum(l => l.Pending);
        var kept = ledgers.Sum(l => l.SpansWith(TraceOutcome.Kept));
        var sampledOut = ledgers.Sum(l => l.SpansWith(TraceOutcome.SampledOut));
        var dropped = ledgers.Sum(l => l.SpansWith(TraceOutcome.DroppedByPolicy));
        var tooEarly = ledgers.Sum(l => l.SpansWith(TraceOutcome.DroppedTooEarly));
        var agents = fleet.Where(c => !c.TailSampling.Any()).Select(a => (a.Pod,
            Sent: a.Counter(CollectorMetricNames.ExporterSentSpans),
            Failed: a.Counter(CollectorMetricNames.ExporterSendFailedSpans),
            Enqueue: a.Counter(CollectorMetricNames.ExporterEnqueueFailedSpans),
            Refused: a.Counter(CollectorMetricNames.ProcessorRefusedSpans),
            Accepted: a.Counter(CollectorMetricNames.ReceiverAcceptedSpans))).ToList();
        return new SpanConservation
        {
            GatewayAccepted = gatewayAccepted,
            GatewayRefused = gateways.Sum(g => g.Counter(CollectorMetricNames.ReceiverRefusedSpans)),
            Pending = pending,
            Kept = kept,
            SampledOut = sampledOut,
            DroppedByPolicy = dropped,
            DroppedTooEarly = tooEarly,
            AgentSent = agents.Sum(a => a.Sent),
            AgentSendFailed = agents.Sum(a => a.Failed),
            AgentEnqueueFailed = agents.Sum(a => a.Enqueue),
            AgentRefused = agents.Sum(a => a.Refused),
            AcceptedAtAgents = agents.Sum(a => a.Accepted),
            HeldAtAgents = agents.ToDictionary(a => a.Pod, a => a.Accepted - a.Sent - a.Failed - a.Enqueue, StringComparer.Ordinal),
            LeftAgents = agents.ToDictionary(a => a.Pod, a => a.Sent + a.Failed + a.Enqueue, StringComparer.Ordinal),
        };
    }

    /// <summary>Passes when the drain proved the account; skips when no span reached the agents.</summary>
    public CheckResult Judge(ConservationDrain drain, string how, (string Object, Model.SourceLocation Location) at)
    {
        ArgumentNullException.ThrowIfNull(drain);
        var account = drain.Last ?? new SpanConservation();
        var figures = new List<CheckFigure>
        {
            new("accepted at agents", account.AcceptedAtAgents),
            new("kept", account.Kept),
            new("sampled out", account.SampledOut),
            new("dropped with a reason", account.DroppedWithReason),
            new("awaiting a decision", account.Pending),
            new("never drained at an agent", drain.NeverDrained),
            new("retransmitted", drain.MinRetransmitted),
            new("unexplained", drain.Unexplained),
        };
        if (account.AcceptedAtAgents == 0 && account.GatewayAccepted == 0)
        {
            return new CheckResult { Id = Id, Title = Title, Outcome = CheckOutcome.Skipped, Summary = $"no span reached the agents: nothing to account ({how})", Figures = figures };
        }

        if (drain.Proven)
        {
            return new CheckResult
            {
                Id = Id,
                Title = Title,
                Outcome = CheckOutcome.Pass,
                Summary = $"{account.AcceptedAtAgents} accepted = {account.Kept} kept + {account.SampledOut} sampled out + {account.DroppedWithReason} dropped with a reason"
                    + $" + {account.Pending} awaiting a decision + {account.HeldAtAgentsTotal} in flight at the agents; 0 unexplained (every agent seen drained; {how})",
                Figures = figures,
            };
        }

        var problems = new List<string>();
        if (drain.NeverDrained > 0)
        {
            problems.Add($"{drain.NeverDrained} span(s) accepted at the agents never left them and were not counted as failed ({string.Join(", ", drain.MinHeld.Where(kv => kv.Value > 0).Select(kv => $"{kv.Key} held at least {kv.Value}"))})");
        }

        if (drain.MinRetransmitted != 0)
        {
            problems.Add(drain.MinRetransmitted > 0
                ? $"the gateways accepted {drain.MinRetransmitted} span(s) more than the agents sent (requests retried after the gateway had accepted them: counted twice)"
                : $"the agents counted {-drain.MinRetransmitted} span(s) as sent that the gateways never accepted");
        }

        if (drain.MinResidual != 0)
        {
            problems.Add($"the gateways' counters disagree by {drain.MinResidual} span(s) (their tail_sampling received other spans than their receivers accepted)");
        }

        var message = string.Join("; ", problems);
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
                    Evidence = [.. account.Terms(), how],
                    Why = "every span an agent accepts must end kept, sampled out by policy, or dropped with a counted reason; spans that never leave an agent uncounted are lost "
                        + "without any metric saying so (a batch processor's \"Sender failed\", a crashed pod), and retransmitted spans are counted (and stored) twice",
                    Fix = "read the agents' and gateways' logs for \"Sender failed\" / \"Exporting failed\", check restarts, raise the agents' exporter timeout above the gateways' "
                        + "response time, and make sure the agents export traces only to the tail-sampling tier",
                },
            ],
        };
    }
}
