using OtelLab.Backends.Capture;
using OtelLab.Lint;
using OtelLab.Scenarios.Checks.Guide;
using OtelLab.Scenarios.Checks.Internal;
using OtelLab.Sim.Collector.Processors.TailSampling;
using OtelLab.Sim.Kubelet;

namespace OtelLab.Scenarios.Checks;

/// <summary>
/// Every request into the front service becomes one trace with correctly parented spans from every service of the
/// scenario's load (checkout → payments → ledger), enriched with the four Kubernetes attributes, at BOTH backends.
/// Judged over the population: every trace the tail samplers decided before the cut (every trace at the backends
/// when nothing tail-samples) is whole at both, or its missing spans are explained (<see cref="TracePopulation"/>);
/// an unexplained partial trace fails the check with counts and examples.
/// </summary>
public sealed class TraceCompleteCheck : IScenarioCheck
{
    /// <summary>The enrichment asked of every span (k8sattributes on the agent tier).</summary>
    internal static readonly IReadOnlyList<string> Enrichment = ["k8s.namespace.name", "k8s.pod.name", "k8s.deployment.name", "k8s.node.name"];

    // The datadog exporter's trace writer flushes every 5 s; a trace kept before the cut has reached both backends
    // after the gateway's batch timeout (5 s in the bundled scenarios) and one flush, with a margin for the tick.
    internal static readonly TimeSpan DatadogFlush = Sim.Collector.Exporters.Datadog.DatadogExporter.TraceFlushInterval;
    internal static readonly TimeSpan DeliverySettle = TimeSpan.FromSeconds(12);

    /// <summary>Decided traces the check waits for (up to dataWithin) before it takes the cut.</summary>
    internal const int EnoughTraces = 100;

    /// <summary>Kept traces of the load (with a span of the front service at the first backend) the cut waits for.</summary>
    internal const int EnoughKeptLoadTraces = 10;

    // Counted as the verdict counts them: a kubelet probe of the front service is not a request of the load.
    private static int KeptFrontTraces(IReadOnlyList<ReplicaDecisions> replicas, IReadOnlyList<CapturedSpan> spans, string front, IReadOnlySet<string> probePaths)
    {
        var kept = replicas.SelectMany(r => r.Decisions).Where(d => d.Value == TraceOutcome.Kept).Select(d => d.Key).ToHashSet();
        var probes = spans.Where(s => TracePopulation.IsProbeRoot(s, probePaths)).Select(s => s.TraceId).ToHashSet();
        return spans.Where(s => s.ServiceName == front && kept.Contains(s.TraceId) && !probes.Contains(s.TraceId)).Select(s => s.TraceId).Distinct().Count();
    }

    public string Id => "trace-complete";

    public string Title => "Every request, one whole trace at both backends";

    public bool NeedsRunningLab => true;

    public async Task<CheckResult> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Lab is not { Dynatrace: { } dt, Datadog: { } dd } lab)
        {
            return CheckResult.Skip(this, "no running lab");
        }

        var services = context.Scenario.Load.Services;
        if (services.Count == 0 || context.Scenario.Load.RatePerSecond <= 0)
        {
            return CheckResult.Skip(this, "the scenario's load names no services (or sends nothing): no request to follow");
        }

        // The cut: once spans arrive (up to dataWithin), the traces decided so far are the population.
        var wait = context.DataWait;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // The population is the load's: wait for the front service's spans (other workloads, such as a service with
        // its own traffic, and kubelet probes reach the backends earlier) and for enough of the load's traces kept.
        var front = services[0];
        await dt.Captures.WaitUntilAsync(c => c.Spans().Any(s => s.ServiceName == front), wait, cancellationToken).ConfigureAwait(false);
        var tailSampling = GatewayTraceSplitCheck.Replicas(lab);
        var probePaths = ProbePaths(lab);
        while (tailSampling.Count > 0
            && (tailSampling.Sum(r => r.Decisions.Count) < EnoughTraces || KeptFrontTraces(tailSampling, dt.Captures.Spans(), front, probePaths) < EnoughKeptLoadTraces)
            && clock.Elapsed < wait)
        {
            // A population of a handful says little: poll the replicas' ledgers until enough traces were decided.
            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
            tailSampling = GatewayTraceSplitCheck.Replicas(lab);
        }

        IReadOnlyList<ReplicaDecisions>? decisions = tailSampling.Count == 0 ? null : tailSampling;
        var cut = dt.Captures.Spans().Concat(dd.Captures.Spans()).Select(s => s.TraceId).ToHashSet();

        // Then give what was decided before the cut time to reach both backends, judging again whenever either changes.
        TracePopulation.Input Input() => new(decisions, cut, dt.Captures.Spans(), dd.Captures.Spans(), dt.Name, dd.Name, services, Enrichment,
            lab.Clock.GetUtcNow(), DatadogFlush, FaultedBackends(lab), KilledPods(lab)) { ProbePaths = probePaths };
        var verdict = await SettleAsync(dt.Captures, dd.Captures, Input, context.SettleWait(DeliverySettle), cancellationToken).ConfigureAwait(false);
        return Result(verdict, services, context, wait);
    }

    internal CheckResult Result(TracePopulation.Verdict verdict, IReadOnlyList<string> services, CheckContext context, TimeSpan waited)
    {
        var explained = verdict.Explained.Values.Sum();
        var figures = new List<CheckFigure>
        {
            new("traces decided before the cut", verdict.Decided),
            new("sampled out (not expected at the backends)", verdict.SampledOut),
            new("kept traces of the load", verdict.Judged),
            new("whole at both backends", verdict.Whole.Count),
            new("partial, explained", explained),
            new("partial, unexplained", verdict.Unexplained.Count),
            new("spans delivered more than once", verdict.Duplicates),
        };
        var breakdown = verdict.Explained.Count == 0 ? string.Empty : $" ({string.Join("; ", verdict.Explained.Select(e => $"{e.Value} {e.Key}"))})";
        var summary = $"{verdict.Whole.Count}/{verdict.Judged} kept trace(s) whole at both backends, {explained} partial and explained{breakdown}, " +
                      $"{verdict.Unexplained.Count} partial and unexplained" +
                      (verdict.Duplicates > 0 ? $"; {verdict.Duplicates} span(s) delivered more than once (an export retried after its timeout)" : "");
        if (verdict.Passed)
        {
            return new CheckResult
            {
                Id = Id,
                Title = Title,
                Outcome = CheckOutcome.Pass,
                Summary = verdict.Whole.Count > 0 ? $"{summary}; e.g. {verdict.Whole[0]}: {string.Join(" | ", verdict.Exhibit.Select(l => l.Trim()))}" : summary,
                Figures = figures,
            };
        }

        var (obj, location, _) = VendorExporters.Find(context.Manifests);
        var evidence = verdict.Judged == 0
            ? [$"no kept trace of a request into {services[0]} after {waited.TotalSeconds:0.#} s ({verdict.Decided} decided, {verdict.SampledOut} sampled out)"]
            : verdict.Unexplained.Take(3).SelectMany(u => u.Problems.Take(4).Select(p => $"trace {u.TraceId}: {p}")).ToList();
        return new CheckResult
        {
            Id = Id,
            Title = Title,
            Outcome = CheckOutcome.Fail,
            Summary = verdict.Judged == 0 ? $"no kept trace of a request into {services[0]} to judge" : summary,
            Figures = figures,
            Findings =
            [
                new Finding
                {
                    RuleId = "trace-incomplete",
                    Severity = Severity.Error,
                    Object = obj,
                    Location = location,
                    Message = verdict.Judged == 0
                        ? $"no request into {services[0]} became a trace at the backends"
                        : $"{verdict.Unexplained.Count} of {verdict.Judged} kept trace(s) across {string.Join(" → ", services)} are partial at a backend and nothing explains it",
                    Evidence = evidence,
                    Why = "a trace breaks when a hop does not propagate traceparent (agent not injected, wrong propagators), when spans of one trace reach " +
                          "different gateways (sampled apart), when an exporter drops a batch, or when enrichment misses spans from an unknown connection IP",
                    Fix = "check injection (the pods' env), the gateway's traceID load balancing, the exporters' send_failed counters and k8sattributes on the agent tier",
                },
            ],
        };
    }

    // The kubelet's readiness probes: the process runtime polls each image's health path, and pod specs may add httpGet probes.
    private static IReadOnlySet<string> ProbePaths(SimLab lab)
    {
        var paths = lab.Runtimes.OfType<ProcessContainerRuntime>().SelectMany(r => r.Catalog.Images).Select(i => i.Health).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var pod in lab.Pods())
        {
            foreach (var c in pod.Spec?.Containers ?? [])
            {
                foreach (var probe in new[] { c.ReadinessProbe, c.LivenessProbe, c.StartupProbe })
                {
                    if (probe?.HttpGet?.Path is { } path)
                    {
                        paths.Add(path);
                    }
                }
            }
        }

        return paths;
    }

    private static IReadOnlySet<string> FaultedBackends(SimLab lab) =>
        lab.FaultEvents.Where(e => e.Step.Backend is not null).Select(e => e.Step.Backend!).ToHashSet(StringComparer.Ordinal);

    private static IReadOnlyList<string> KilledPods(SimLab lab) =>
        [.. lab.FaultEvents.Where(e => e.Killed is not null).Select(e => e.Pod ?? e.Step.Kill?.Name ?? "?")];

    private static async Task<TracePopulation.Verdict> SettleAsync(CaptureStore first, CaptureStore second, Func<TracePopulation.Input> input, TimeSpan settle, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + settle;
        while (true)
        {
            var (a, b) = (first.Summary().AcceptedSpans, second.Summary().AcceptedSpans);
            var verdict = TracePopulation.Judge(input());
            var left = deadline - DateTime.UtcNow;
            var settled = verdict.Unexplained.Count == 0 && !verdict.Explained.ContainsKey(TracePopulation.FlushWindow);
            if (settled || left <= TimeSpan.Zero)
            {
                return verdict;
            }

            // Wait for either store to change (Datadog's exporter flushes on its own schedule), then judge again.
            using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var waits = new[]
            {
                first.WaitUntilAsync(s => s.Summary().AcceptedSpans != a, left, either.Token),
                second.WaitUntilAsync(s => s.Summary().AcceptedSpans != b, left, either.Token),
            };
            await Task.WhenAny(waits).ConfigureAwait(false);
            await either.CancelAsync().ConfigureAwait(false);
            try
            {
                await Task.WhenAll(waits).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // the other store's wait, ended because one changed
            }
        }
    }
}
