using OpenTelemetry.Proto.Common.V1;
using OtelLab.Backends.Capture;

namespace OtelLab.Scenarios.Checks.Internal;

/// <summary>
/// Whether one trace is whole at both backends: a single root span from the
/// front service; every other span's parent in the same trace; each service of the chain present, its topmost span
/// parented by a span of the service before it (W3C tracecontext propagated hop by hop); every span enriched (the
/// attributes on its resource, or — at Datadog, whose exporter flattens resource attributes into span tags — on the
/// span); and the same span ids with the same parents at the second backend.
/// </summary>
internal static class TraceCompleteness
{
    /// <summary>
    /// What is wrong with one trace at each backend (empty when it is whole there); the second backend's list also
    /// says when its spans differ from the first's.
    /// </summary>
    public static (IReadOnlyList<string> First, IReadOnlyList<string> Second) Examine(
        List<CapturedSpan> first, List<CapturedSpan> second, IReadOnlyList<string> services, IReadOnlyList<string> enrichment, string firstName, string secondName)
    {
        var a = first.Count == 0 ? [$"not at {firstName}"] : Problems(first, services, enrichment, onSpanToo: false, firstName);
        var b = first.Count == 0
            ? second.Count == 0 ? [$"not at {secondName}"] : Problems(second, services, enrichment, onSpanToo: true, secondName)
            : SecondProblems(first, second, services, enrichment, secondName);
        return (a, b);
    }

    private static List<string> SecondProblems(List<CapturedSpan> spans, List<CapturedSpan> other, IReadOnlyList<string> services, IReadOnlyList<string> enrichment, string backend)
    {
        if (other.Count == 0)
        {
            return [$"not at {backend}"];
        }

        var problems = Problems(other, services, enrichment, onSpanToo: true, backend);
        var expected = spans.Select(s => (s.SpanId, s.ParentSpanId)).ToHashSet();
        var actual = other.Select(s => (s.SpanId, s.ParentSpanId)).ToHashSet();
        if (!expected.SetEquals(actual))
        {
            problems.Add($"{backend} holds {actual.Count} span(s), {actual.Except(expected).Count()} of them not as stored at the first backend, {expected.Except(actual).Count()} missing");
        }

        return problems;
    }

    private static List<string> Problems(List<CapturedSpan> spans, IReadOnlyList<string> services, IReadOnlyList<string> enrichment, bool onSpanToo, string backend)
    {
        var problems = new List<string>();
        var byId = spans.GroupBy(s => s.SpanId).ToDictionary(g => g.Key, g => g.First());
        var roots = spans.Where(s => s.ParentSpanId == 0).ToList();
        if (roots.Count != 1 || roots[0].ServiceName != services[0])
        {
            problems.Add($"{backend}: {roots.Count} root span(s) ({string.Join(", ", roots.Select(r => $"{r.ServiceName} {r.Name}"))}); expected one, from {services[0]}");
        }

        foreach (var orphan in spans.Where(s => s.ParentSpanId != 0 && !byId.ContainsKey(s.ParentSpanId)))
        {
            problems.Add($"{backend}: {orphan.ServiceName} span {orphan.Name} ({orphan.SpanIdHex}) has parent {orphan.ParentSpanIdHex}, which is not in the trace");
        }

        for (var i = 0; i < services.Count; i++)
        {
            var own = spans.Where(s => s.ServiceName == services[i]).ToList();
            if (own.Count == 0)
            {
                problems.Add($"{backend}: no span from {services[i]}");
                continue;
            }

            if (i == 0)
            {
                continue;
            }

            // The service's entry span(s): parented outside the service; that parent must be the caller's.
            foreach (var entry in own.Where(s => !byId.TryGetValue(s.ParentSpanId, out var p) || p.ServiceName != services[i]))
            {
                if (!byId.TryGetValue(entry.ParentSpanId, out var parent) || parent.ServiceName != services[i - 1])
                {
                    problems.Add($"{backend}: {services[i]} span {entry.Name} is parented by {(parent is null ? "nothing in the trace" : parent.ServiceName)}, not by {services[i - 1]}");
                }
            }
        }

        foreach (var bare in spans.Where(s => enrichment.Any(a => !Has(s.Resource.Attributes, a) && !(onSpanToo && Has(s.Attributes, a)))).GroupBy(s => s.ServiceName))
        {
            var missing = enrichment.Where(a => bare.Any(s => !Has(s.Resource.Attributes, a) && !(onSpanToo && Has(s.Attributes, a))));
            problems.Add($"{backend}: {bare.Count()} {bare.Key} span(s) without {string.Join(", ", missing)}");
        }

        return problems;
    }

    public static List<string> Render(List<CapturedSpan> spans)
    {
        var lines = new List<string>();
        var children = spans.ToLookup(s => s.ParentSpanId);
        void Walk(CapturedSpan span, int depth)
        {
            var pod = span.Resource.Attributes.FirstOrDefault(a => a.Key == "k8s.pod.name")?.Value.StringValue ?? "?";
            lines.Add($"{new string(' ', depth * 2)}{span.ServiceName} {span.Name} span {span.SpanIdHex} parent {(span.ParentSpanId == 0 ? "-" : span.ParentSpanIdHex)} status {span.Status} pod {pod}");
            foreach (var child in children[span.SpanId].OrderBy(c => c.StartUnixNano))
            {
                Walk(child, depth + 1);
            }
        }

        foreach (var root in spans.Where(s => s.ParentSpanId == 0))
        {
            Walk(root, 0);
        }

        return lines;
    }

    private static bool Has(IReadOnlyList<KeyValue> attributes, string key) => attributes.Any(a => a.Key == key);
}
