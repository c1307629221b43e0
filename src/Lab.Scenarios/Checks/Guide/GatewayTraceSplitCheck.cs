using OtelLab.Backends.Capture;
using OtelLab.Lint;
using OtelLab.Scenarios.Checks.Internal;
using OtelLab.Scenarios.Monitoring;
using OtelLab.Sim.Collector.Processors.TailSampling;

namespace OtelLab.Scenarios.Checks.Guide;

/// <summary>
/// Every trace is tail-sampled whole, on one replica. Measured from each tail-sampling pod's decisions (its ledger of
/// decided trace ids): the fraction of traces whose spans reached more than one replica, the split traces decided
/// inconsistently (kept on one replica, dropped on another), and the traces Dynatrace holds with spans missing
/// (a span whose parent never arrived, or no root). Behind a plain Service each agent's gRPC connection sticks to one
/// replica, so the spans of a trace that crosses nodes scatter (upstream: contrib processor/tailsamplingprocessor/README.md; contrib#4758, #27014).
/// </summary>
public sealed class GatewayTraceSplitCheck : IScenarioCheck
{
    public string Id => "gateway-trace-split";

    public string Title => "Each trace is tail-sampled whole on one gateway replica";

    public bool NeedsRunningLab => true;

    public async Task<CheckResult> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Lab is not { Dynatrace: { } dt } lab)
        {
            return CheckResult.Skip(this, "no running lab");
        }

        // Decisions are taken decision_wait after a trace's first span: wait (up to dataWithin) for sampled spans at Dynatrace.
        var wait = context.DataWait;
        await dt.Captures.WaitUntilAsync(c => c.Spans().Count > 0, wait, cancellationToken).ConfigureAwait(false);

        // A fraction judged on a handful of traces says little: poll the replicas' ledgers (up to dataWithin) until
        // enough traces were decided.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var replicas = Replicas(lab);
        while (replicas.SelectMany(r => r.Decisions.Keys).Distinct().Count() < EnoughTraces && waited.Elapsed < wait)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
            replicas = Replicas(lab);
        }

        var (obj, location) = CollectorComponents.FindProcessor(context.Manifests, "tail_sampling");
        return Judge(this, replicas, dt.Captures.Spans(), obj, location);
    }

    /// <summary>Decided traces the check waits for before it judges the split fraction.</summary>
    internal const int EnoughTraces = 200;

    internal static List<ReplicaDecisions> Replicas(SimLab lab) =>
        [.. CollectorFleet.Of(lab).SelectMany(c => c.TailSampling.Take(1).Select(t => new ReplicaDecisions($"{c.Namespace}/{c.Pod}", Decisions(t.Processor.Ledger))))];

    internal static CheckResult Judge(IScenarioCheck check, IReadOnlyList<ReplicaDecisions> replicas, IReadOnlyList<CapturedSpan> backendSpans, string obj, Model.SourceLocation location)
    {
        var all = replicas.SelectMany(r => r.Decisions.Keys).ToHashSet();
        if (all.Count == 0)
        {
            return CheckResult.Skip(check, replicas.Count == 0 ? "no tail-sampling collector runs" : "no trace was decided by a tail-sampling replica");
        }

        var split = all.Where(id => replicas.Count(r => r.Decisions.ContainsKey(id)) > 1).ToHashSet();
        var inconsistent = split.Count(id =>
        {
            var outcomes = replicas.Where(r => r.Decisions.ContainsKey(id)).Select(r => r.Decisions[id]).ToList();
            return outcomes.Contains(TraceOutcome.Kept) && outcomes.Any(o => o != TraceOutcome.Kept);
        });
        var atBackend = backendSpans.Where(s => all.Contains(s.TraceId)).GroupBy(s => s.TraceId).ToList();
        var incomplete = atBackend.Where(IsIncomplete).Select(g => g.Key).ToList();
        var fraction = split.Count / (double)all.Count;
        var failed = split.Count > 0;
        var deciding = replicas.Where(r => r.Decisions.Count > 0).ToList();
        // Per-connection balancing decides where each agent's spans go for the connection's lifetime: when every agent's
        // connection landed on the same replica, nothing splits in this run, yet the next reconnect (a gateway rollout,
        // a restarted agent) spreads them again — said in the summary, since the pass holds for this placement only.
        var onePlacement = !failed && replicas.Count > 1 && deciding.Count == 1
            ? $"; every trace reached {deciding[0].Pod} alone (the other replica(s) decided none: the agents' connections all landed there, so this placement does not split; a reconnect can)"
            : "";
        return new CheckResult
        {
            Id = check.Id,
            Title = check.Title,
            Outcome = failed ? CheckOutcome.Fail : CheckOutcome.Pass,
            Summary = $"{split.Count}/{all.Count} traces ({fraction:P1}) reached more than one of {replicas.Count} tail-sampling replica(s); " +
                $"{inconsistent} decided inconsistently; {incomplete.Count}/{atBackend.Count} traces at dynatrace miss spans{onePlacement}",
            Figures =
            [
                new("tail-sampling replicas", replicas.Count),
                new("replicas that decided traces", deciding.Count),
                new("decided traces", all.Count),
                new("split traces", split.Count),
                new("split fraction", fraction),
                new("inconsistent decisions", inconsistent),
                new("incomplete traces at dynatrace", incomplete.Count),
            ],
            Findings = !failed ? [] :
            [
                new Finding
                {
                    RuleId = "gateway-split-traces",
                    Severity = Severity.Error,
                    Object = obj,
                    Location = location,
                    Message = $"{fraction:P1} of traces had spans on more than one tail-sampling replica; {inconsistent} were partly kept",
                    Evidence =
                    [
                        .. replicas.Select(r => $"{r.Pod}: decided {r.Decisions.Count} trace(s), kept {r.Decisions.Values.Count(o => o == TraceOutcome.Kept)}"),
                        $"{split.Count} of {all.Count} decided traces reached ≥ 2 replicas ({fraction:P1}); each replica decided on the spans it alone saw",
                        $"{inconsistent} split trace(s) kept by one replica and dropped by another (partly kept: some spans at the backend, the rest gone)",
                        $"dynatrace holds {incomplete.Count} of {atBackend.Count} traces with spans missing (a parent span absent, or no root)" +
                            (incomplete.Count > 0 ? $", e.g. {string.Join(", ", incomplete.Take(3).Select(t => t.ToString("x32", null)))}" : ""),
                    ],
                    Why = "tail_sampling needs every span of a trace on one instance; behind a plain Service each agent's long-lived gRPC connection " +
                        "sticks to one replica, so a trace that crosses nodes is split and each replica decides on part of it (errors and latency are " +
                        "seen by one replica only) — contrib#4758, #27014",
                    Fix = "route traces by trace ID: in the agents use `loadbalancing: {routing_key: traceID, protocol: {otlp: {tls: {insecure: true}}}, " +
                        "resolver: {dns: {hostname: otel-gateway-collector-headless.observability.svc.cluster.local, port: 4317}}}` " +
                        "(as in scenarios/payments-fixed/manifests/10-otel-agent.yaml), or run one replica",
                },
            ],
        };
    }

    // A trace misses spans when one of its spans names a parent the backend never received, or it has no root.
    private static bool IsIncomplete(IGrouping<UInt128, CapturedSpan> trace)
    {
        var ids = trace.Select(s => s.SpanId).ToHashSet();
        return !trace.Any(s => s.ParentSpanId == 0) || trace.Any(s => s.ParentSpanId != 0 && !ids.Contains(s.ParentSpanId));
    }

    private static Dictionary<UInt128, TraceOutcome> Decisions(TailSamplingLedger ledger) =>
        Enum.GetValues<TraceOutcome>()
            .SelectMany(o => ledger.TracesWith(o).Select(t => (Id: new UInt128(t.High, t.Low), Outcome: o)))
            .GroupBy(x => x.Id)
            .ToDictionary(g => g.Key, g => g.First().Outcome);
}

/// <summary>The traces one tail-sampling replica decided, with the outcome it recorded.</summary>
internal sealed record ReplicaDecisions(string Pod, IReadOnlyDictionary<UInt128, TraceOutcome> Decisions);
