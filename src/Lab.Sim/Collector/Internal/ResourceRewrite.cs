using OtelLab.Sim.Collector.Metrics;
using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Sim.Collector.Internal;

/// <summary>
/// Applies a per-resource change to a batch: upstream processors walk <c>ResourceSpans</c>/<c>ResourceMetrics</c> and
/// edit each resource once; here items of one resource share a <see cref="TelemetryResource"/> instance, so the change
/// is computed once per instance and the items are re-pointed at the new one.
/// </summary>
internal static class ResourceRewrite
{
    /// <summary>Adds the attributes <paramref name="additions"/> yields that are absent or empty on the resource (upstream setResourceAttribute).</summary>
    public static TelemetryResource AddMissing(TelemetryResource resource, IEnumerable<KeyValuePair<string, AttributeValue>> additions, bool overwrite = false)
    {
        Dictionary<string, AttributeValue>? copy = null;
        foreach (var (key, value) in additions)
        {
            var current = copy ?? resource.Attributes;
            if (!overwrite && current.TryGetValue(key, out var existing) && existing.ToString().Length > 0)
            {
                continue;
            }

            if (current.TryGetValue(key, out var same) && same == value)
            {
                continue;
            }

            copy ??= new Dictionary<string, AttributeValue>(resource.Attributes);
            copy[key] = value;
        }

        return copy is null ? resource : new TelemetryResource(copy);
    }

    public static IReadOnlyList<TraceSpan> Spans(IReadOnlyList<TraceSpan> spans, Func<TelemetryResource, TelemetryResource> change)
    {
        var map = new Dictionary<TelemetryResource, TelemetryResource>(ReferenceEqualityComparer.Instance);
        TraceSpan[]? result = null;
        for (var i = 0; i < spans.Count; i++)
        {
            var span = spans[i];
            if (!map.TryGetValue(span.Resource, out var changed))
            {
                changed = change(span.Resource);
                map[span.Resource] = changed;
            }

            if (!ReferenceEquals(changed, span.Resource))
            {
                result ??= [.. spans];
                result[i] = span with { Resource = changed };
            }
        }

        return result ?? spans;
    }

    public static IReadOnlyList<MetricPoint> Points(IReadOnlyList<MetricPoint> points, Func<TelemetryResource, TelemetryResource> change)
    {
        var map = new Dictionary<TelemetryResource, TelemetryResource>(ReferenceEqualityComparer.Instance);
        MetricPoint[]? result = null;
        for (var i = 0; i < points.Count; i++)
        {
            var point = points[i];
            if (!map.TryGetValue(point.Resource, out var changed))
            {
                changed = change(point.Resource);
                map[point.Resource] = changed;
            }

            if (!ReferenceEquals(changed, point.Resource))
            {
                result ??= [.. points];
                result[i] = point with { Resource = changed };
            }
        }

        return result ?? points;
    }
}
