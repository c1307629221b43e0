using OtelLab.Backends.Capture;
using OtelLab.Scenarios.Checks.Guide;
using OtelLab.Sim.Collector.Processors.TailSampling;

namespace OtelLab.Scenarios.Checks.Internal;

/// <summary>
/// Judges every trace decided before the cut, not one example: a trace the tail samplers kept must be whole at both
/// backends (<see cref="TraceCompleteness"/>), or its missing spans must be explained — sampled out by another gateway
/// replica, evicted before its decision, a fault the scenario injected, or still in Datadog's flush window.
/// </summary>
internal static class TracePopulation
{
    public const string SplitSampled = "sampled out by another tail-sampling replica (the trace was split across gateways)";
    public const string Evicted = "evicted before its decision (num_traces; sampling_trace_dropped_too_early)";
    public const string PodKilled = "held by a collector pod the scenario killed";
    public const string FlushWindow = "still in Datadog's flush window";

    /// <summary>What the judgement reads.</summary>
    /// <param name="Decisions">Each tail-sampling replica's decisions at the cut; null when no collector tail-samples.</param>
    /// <param name="Cut">Trace ids at either backend at the cut, used as the population when nothing tail-samples.</param>
    /// <param name="FaultedBackends">Backends the scenario made answer with errors during the run.</param>
    /// <param name="KilledPods">Collector pods the scenario killed.</param>
    public sealed record Input(
        IReadOnlyList<ReplicaDecisions>? Decisions,
        IReadOnlySet<UInt128> Cut,
        IReadOnlyList<CapturedSpan> First,
        IReadOnlyList<CapturedSpan> Second,
        string FirstName,
        string SecondName,
        IReadOnlyList<string> Services,
        IReadOnlyList<string> Enrichment,
        DateTimeOffset JudgedAt,
        TimeSpan DatadogFlush,
        IReadOnlySet<string> FaultedBackends,
        IReadOnlyList<string> KilledPods)
    {
        /// <summary>Paths the kubelet probes (readiness, liveness): traces rooted in a probe are not requests of the load.</summary>
        public IReadOnlySet<string> ProbePaths { get; init; } = new HashSet<string>(StringComparer.Ordinal);
    }

    /// <param name="Judged">Traces of the load kept before the cut (expected at both backends).</param>
    /// <param name="Explained">Traces not whole, by explanation.</param>
    /// <param name="Unexplained">Traces not whole with no explanation: id and what is wrong.</param>
    /// <param name="Duplicates">Spans of the kept traces a backend received more than once (counted beyond the first copy).</param>
    public sealed record Verdict(
        int Decided,
        int SampledOut,
        int Other,
        int Judged,
        IReadOnlyList<string> Whole,
        IReadOnlyDictionary<string, int> Explained,
        IReadOnlyList<(string TraceId, IReadOnlyList<string> Problems)> Unexplained,
        IReadOnlyList<string> Exhibit,
        int Duplicates = 0)
    {
        public bool Passed => Judged > 0 && Unexplained.Count == 0;
    }

    public static Verdict Judge(Input input)
    {
        var first = input.First.GroupBy(s => s.TraceId).ToDictionary(g => g.Key, g => g.ToList());
        var second = input.Second.GroupBy(s => s.TraceId).ToDictionary(g => g.Key, g => g.ToList());
        var decided = input.Decisions is null ? input.Cut : input.Decisions.SelectMany(r => r.Decisions.Keys).ToHashSet();
        var kept = input.Decisions is null
            ? decided
            : decided.Where(id => input.Decisions.Any(r => r.Decisions.TryGetValue(id, out var o) && o == TraceOutcome.Kept)).ToHashSet();

        var whole = new List<(UInt128 Id, bool Error)>();
        var explained = new Dictionary<string, int>(StringComparer.Ordinal);
        var unexplained = new List<(string, IReadOnlyList<string>)>();
        var other = 0;
        var duplicates = 0;
        foreach (var id in kept.Order())
        {
            // Delivery is at least once: an export retried after its timeout, when the receiver had already taken the
            // request, delivers the same spans again (exporterhelper retries on a deadline; the receiver cannot tell).
            // A copy is not a part of the trace: it is counted, and the trace judged on its distinct spans.
            var a = Distinct(first.GetValueOrDefault(id), ref duplicates);
            var b = Distinct(second.GetValueOrDefault(id), ref duplicates);
            if (a.Concat(b).Any() && !IsRequest(input, [.. a, .. b]))
            {
                other++;
                continue;
            }

            var (atFirst, atSecond) = TraceCompleteness.Examine(a, b, input.Services, input.Enrichment, input.FirstName, input.SecondName);
            if (atFirst.Count == 0 && atSecond.Count == 0)
            {
                whole.Add((id, a.Any(s => s.Status == CapturedStatus.Error)));
                continue;
            }

            var why = Explain(input, id, a, atFirst, atSecond);
            if (why is null)
            {
                unexplained.Add((id.ToString("x32", null), [.. atFirst, .. atSecond]));
            }
            else
            {
                explained[why] = explained.GetValueOrDefault(why) + 1;
            }
        }

        var ordered = whole.OrderByDescending(w => w.Error).ThenBy(w => w.Id).ToList();
        var exhibit = ordered.Count == 0 ? [] : TraceCompleteness.Render([.. first[ordered[0].Id].DistinctBy(s => s.SpanId)]);
        return new Verdict(decided.Count, decided.Count - kept.Count, other, kept.Count - other,
            [.. ordered.Select(w => w.Id.ToString("x32", null))], explained, unexplained, exhibit, duplicates);
    }

    private static List<CapturedSpan> Distinct(List<CapturedSpan>? spans, ref int duplicates)
    {
        if (spans is null)
        {
            return [];
        }

        var distinct = spans.DistinctBy(s => s.SpanId).ToList();
        duplicates += spans.Count - distinct.Count;
        return distinct;
    }

    // A request of the load: spans of its services, and a root that is not a kubelet probe of the front service.
    private static bool IsRequest(Input input, List<CapturedSpan> spans) =>
        spans.Any(s => input.Services.Contains(s.ServiceName)) &&
        !spans.Any(s => IsProbeRoot(s, input.ProbePaths));

    /// <summary>Whether the span is the root of a kubelet probe's trace (its path is one the kubelets probe).</summary>
    public static bool IsProbeRoot(CapturedSpan span, IReadOnlySet<string> probePaths) =>
        span.ParentSpanId == 0 && Path(span) is { } path && probePaths.Contains(path);

    // upstream semantic conventions: url.path (current), http.target / http.route (older instrumentations).
    private static string? Path(CapturedSpan span)
    {
        foreach (var key in (string[])["url.path", "http.target", "http.route"])
        {
            if (span.Attributes.FirstOrDefault(a => a.Key == key)?.Value.StringValue is { Length: > 0 } value)
            {
                return value.Split('?')[0];
            }
        }

        return span.Name.Split(' ').LastOrDefault(p => p.StartsWith('/'));
    }

    // The request stopped at a failed call: the services after the caller are absent at both backends, nothing else is
    // wrong, and the caller recorded the failure on a span below its entry span (its outgoing call).
    private static string? FailedCall(Input input, List<CapturedSpan> spans, IReadOnlyList<string> problems)
    {
        var present = input.Services.TakeWhile(s => spans.Any(x => x.ServiceName == s)).Count();
        if (present == 0 || present == input.Services.Count || input.Services.Skip(present).Any(s => spans.Any(x => x.ServiceName == s)))
        {
            return null;
        }

        var missing = input.Services.Skip(present).ToList();
        if (!problems.All(p => missing.Any(m => p.EndsWith($"no span from {m}", StringComparison.Ordinal))))
        {
            return null;
        }

        var caller = input.Services[present - 1];
        var ids = spans.Where(s => s.ServiceName == caller).Select(s => s.SpanId).ToHashSet();
        var failed = spans.Any(s => s.ServiceName == caller && s.Status == CapturedStatus.Error && ids.Contains(s.ParentSpanId));
        return failed ? $"the request failed before reaching {missing[0]} ({caller}'s call recorded the error)" : null;
    }

    private static string? Explain(Input input, UInt128 id, List<CapturedSpan> atFirstSpans, IReadOnlyList<string> atFirst, IReadOnlyList<string> atSecond)
    {
        if (FailedCall(input, atFirstSpans, [.. atFirst, .. atSecond]) is { } failedCall)
        {
            return failedCall;
        }

        var outcomes = input.Decisions?.Where(r => r.Decisions.ContainsKey(id)).Select(r => r.Decisions[id]).ToList() ?? [];
        if (outcomes.Contains(TraceOutcome.DroppedTooEarly))
        {
            return Evicted;
        }

        if (outcomes.Any(o => o != TraceOutcome.Kept))
        {
            return SplitSampled;
        }

        if (input.KilledPods.Count > 0)
        {
            return PodKilled;
        }

        var onlyFirst = atSecond.Count == 0;
        var onlySecond = atFirst.Count == 0;
        if ((onlyFirst && input.FaultedBackends.Contains(input.FirstName)) || (onlySecond && input.FaultedBackends.Contains(input.SecondName)))
        {
            return $"{(onlyFirst ? input.FirstName : input.SecondName)} answered with the injected fault";
        }

        // The datadog exporter flushes traces every 5 s (contrib exporter/datadogexporter, the trace agent's writer): a
        // trace whole at the first backend that reached it within one flush is not at Datadog yet.
        var arrived = atFirstSpans.Count == 0 ? DateTimeOffset.MinValue : atFirstSpans.Max(s => s.Resource.ReceivedAt);
        return onlySecond && input.SecondName == "datadog" && input.JudgedAt - arrived < input.DatadogFlush ? FlushWindow : null;
    }
}
