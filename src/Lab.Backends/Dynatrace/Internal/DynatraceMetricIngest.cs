using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Metrics.V1;
using OtelLab.Backends.Capture;
using OtelLab.Backends.Capture.Internal;

namespace OtelLab.Backends.Dynatrace.Internal;

/// <summary>
/// Judges an OTLP metrics request by <see cref="DynatraceMetricRules"/>. The request is walked on the wire
/// (<see cref="OtlpMetricsWire"/>): a metric whose every point is certainly accepted — what a delta-converting
/// collector sends — is captured with its bytes as received; any other metric is decoded and judged point by point; a
/// request the walk does not read is decoded whole. Either way the verdict is the one decoding every metric gives.
/// </summary>
internal static class DynatraceMetricIngest
{
    public static MetricsVerdict Judge(byte[] body, int length, in OtlpCapture.Origin origin)
    {
        var resources = new List<OtlpMetricsWire.ResourceEntry>();
        var scopes = new List<OtlpMetricsWire.ScopeEntry>();
        var metrics = new List<OtlpMetricsWire.MetricEntry>();
        if (!OtlpMetricsWire.TryWalk(body.AsSpan(0, length), resources, scopes, metrics))
        {
            return JudgeDecoded(ExportMetricsServiceRequest.Parser.ParseFrom(body, 0, length), origin);
        }

        var verdict = new MetricsVerdict();
        var captured = new CapturedResource?[resources.Count];
        foreach (var metric in metrics)
        {
            verdict.TotalPoints += metric.Facts.PointCount;
        }

        foreach (var metric in metrics)
        {
            var scope = scopes[metric.Scope];
            var entry = resources[scope.Resource];
            var resource = captured[scope.Resource] ??= OtlpCapture.ResourceOf(origin, entry.Resource, entry.SchemaUrl);
            var facts = metric.Facts;
            if (DynatraceMetricRules.AcceptsWhole(facts, resource.Attributes.Count + (scope.Scope?.Attributes.Count ?? 0)))
            {
                if (facts.PointCount > 0)
                {
                    verdict.Accepted.Add(Accepted(resource, facts.Name, (facts.Type, facts.Temporality, facts.IsMonotonic), facts.Unit,
                        facts.PointCount, body.AsSpan(metric.Start, metric.Length).ToArray(), decodedPoints: null));
                }
            }
            else
            {
                verdict.Decoded++;
                JudgeMetric(Metric.Parser.ParseFrom(body, metric.Start, metric.Length), resource, Inherited(resource, scope.Scope), verdict);
            }
        }

        return verdict;
    }

    /// <summary>Judges a decoded request metric by metric.</summary>
    public static MetricsVerdict JudgeDecoded(ExportMetricsServiceRequest request, in OtlpCapture.Origin origin)
    {
        var verdict = new MetricsVerdict();
        foreach (var rm in request.ResourceMetrics)
        {
            foreach (var sm in rm.ScopeMetrics)
            {
                foreach (var metric in sm.Metrics)
                {
                    verdict.TotalPoints += OtlpCapture.PointCount(metric);
                }
            }
        }

        foreach (var rm in request.ResourceMetrics)
        {
            var resource = OtlpCapture.ResourceOf(origin, rm.Resource, rm.SchemaUrl);
            foreach (var sm in rm.ScopeMetrics)
            {
                var inherited = Inherited(resource, sm.Scope);
                foreach (var metric in sm.Metrics)
                {
                    verdict.Decoded++;
                    JudgeMetric(metric, resource, inherited, verdict);
                }
            }
        }

        return verdict;
    }

    private static HashSet<string> Inherited(CapturedResource resource, InstrumentationScope? scope)
    {
        var inherited = new HashSet<string>(StringComparer.Ordinal);
        foreach (var kv in resource.Attributes)
        {
            inherited.Add(kv.Key);
        }

        foreach (var kv in scope?.Attributes ?? [])
        {
            inherited.Add(kv.Key);
        }

        return inherited;
    }

    private static void JudgeMetric(Metric metric, CapturedResource resource, HashSet<string> inherited, MetricsVerdict verdict)
    {
        var whole = DynatraceMetricRules.MetricReason(metric);
        if (whole is not null)
        {
            verdict.Refusals.Add(new MetricRefusal(metric.Name, whole, OtlpCapture.PointCount(metric), resource.ServiceName));
            return;
        }

        var points = new List<CapturedPoint>(OtlpCapture.PointCount(metric));
        var byReason = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var point in OtlpCapture.Points(metric))
        {
            var reason = DynatraceMetricRules.PointReason(point.Attributes, inherited, point.Value);
            if (reason is null)
            {
                points.Add(point);
            }
            else
            {
                byReason[reason] = byReason.GetValueOrDefault(reason) + 1;
            }
        }

        foreach (var (reason, count) in byReason)
        {
            verdict.Refusals.Add(new MetricRefusal(metric.Name, reason, count, resource.ServiceName));
        }

        if (points.Count > 0)
        {
            // Whole metrics are kept encoded (decoded on read); a partly refused one keeps its accepted points.
            verdict.Accepted.Add(byReason.Count == 0
                ? Accepted(resource, metric.Name, OtlpCapture.Shape(metric), metric.Unit, points.Count, metric.ToByteArray(), decodedPoints: null)
                : Accepted(resource, metric.Name, OtlpCapture.Shape(metric), metric.Unit, points.Count, encoded: null, points));
        }
    }

    private static CapturedMetric Accepted(
        CapturedResource resource,
        string name,
        (CapturedMetricType Type, CapturedTemporality Temporality, bool Monotonic) shape,
        string unit,
        int pointCount,
        byte[]? encoded,
        IReadOnlyList<CapturedPoint>? decodedPoints) => new()
    {
        Resource = resource,
        Name = name,
        Type = shape.Type,
        Temporality = shape.Temporality,
        IsMonotonic = shape.Monotonic,
        Unit = unit,
        PointCount = pointCount,
        EncodedOtlp = encoded,
        DecodedPoints = decodedPoints,
    };
}
