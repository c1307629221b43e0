using System.Globalization;
using OtelLab.Backends.Datadog.Protocol;
using OtelLab.Sim.Collector.Metrics;
using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Sim.Collector.Exporters.Datadog.Internal;

/// <summary>
/// Builds the payloads the real exporter sends, after upstream's OTLP → Datadog mapping (datadog-agent pkg/trace
/// otel_util/transform, opentelemetry-mapping-go): one TracerPayload per resource, one chunk per trace (priority 1 =
/// auto keep, <c>_dd.p.dm</c> "-0"), Datadog span ids = the low 64 bits of the OTel ids with the high half in
/// <c>_dd.p.tid</c>, service from service.name, resource from the span name, <c>error</c> from the status; series with
/// the host as a resource and attributes as <c>key:value</c> tags.
/// </summary>
internal static class DatadogPayloads
{
    public static AgentPayload Traces(IReadOnlyList<TraceSpan> spans, string hostname, string env)
    {
        var payload = new AgentPayload { HostName = hostname, Env = env, AgentVersion = "otelcol-lab", TargetTPS = 10, ErrorTPS = 10 };
        foreach (var byResource in spans.GroupBy(s => s.Resource, ReferenceEqualityComparer.Instance))
        {
            var resource = (TelemetryResource)byResource.Key!;
            var tracer = new TracerPayload
            {
                Hostname = hostname,
                Env = Str(resource, "deployment.environment") ?? env,
                LanguageName = Str(resource, "telemetry.sdk.language") ?? string.Empty,
                TracerVersion = "otlp-" + (Str(resource, "telemetry.sdk.version") ?? string.Empty),
                ContainerID = Str(resource, "container.id") ?? string.Empty,
                AppVersion = Str(resource, "service.version") ?? string.Empty,
            };
            foreach (var trace in byResource.GroupBy(s => s.TraceId))
            {
                var chunk = new TraceChunk { Priority = 1 };
                chunk.Tags["_dd.p.dm"] = "-0";
                foreach (var span in trace)
                {
                    chunk.Spans.Add(Span(span, resource));
                }

                tracer.Chunks.Add(chunk);
            }

            payload.TracerPayloads.Add(tracer);
        }

        return payload;
    }

    private static Span Span(TraceSpan span, TelemetryResource resource)
    {
        var dd = new Span
        {
            Service = resource.ServiceName.Length > 0 ? resource.ServiceName : "otlpresourcenoservicename",
            Name = "opentelemetry.internal",
            Resource = span.Name,
            TraceID = span.TraceId.Low,
            SpanID = span.SpanId,
            ParentID = span.ParentSpanId,
            Start = (long)span.StartTimeUnixNano,
            Duration = (long)(span.EndTimeUnixNano - Math.Min(span.StartTimeUnixNano, span.EndTimeUnixNano)),
            Error = span.Status == SpanStatusCode.Error ? 1 : 0,
            Type = "custom",
        };
        dd.Meta["_dd.p.tid"] = span.TraceId.High.ToString("x16", CultureInfo.InvariantCulture);
        dd.Meta["otel.trace_id"] = span.TraceId.ToString();
        dd.Meta["otel.status_code"] = span.Status.ToString().ToUpperInvariant();
        foreach (var (key, value) in resource.Attributes.Concat(span.Attributes))
        {
            if (value.Kind is AttributeValueKind.Int or AttributeValueKind.Double)
            {
                dd.Metrics[key] = value.Kind == AttributeValueKind.Int ? value.Int : value.Double;
            }
            else
            {
                dd.Meta[key] = value.ToString();
            }
        }

        return dd;
    }

    /// <summary>
    /// Series for gauges and sums: a gauge or non-monotonic sum → GAUGE; a monotonic delta sum → COUNT; a monotonic
    /// cumulative sum → COUNT of the difference with the previous point of the series (the translator's cache; the
    /// first point only seeds it). Histograms/summaries are returned in <paramref name="unsupported"/>.
    /// </summary>
    public static MetricPayload Series(IReadOnlyList<MetricPoint> points, string hostname, Func<MetricPoint, double?> cumulativeDelta, out int unsupported)
    {
        unsupported = 0;
        var payload = new MetricPayload();
        foreach (var point in points)
        {
            MetricPayload.Types.MetricType type;
            double value;
            switch (point.Kind)
            {
                case MetricKind.Gauge:
                case MetricKind.Sum when !point.IsMonotonic:
                    type = MetricPayload.Types.MetricType.Gauge;
                    value = point.Value;
                    break;
                case MetricKind.Sum when point.Temporality == AggregationTemporality.Delta:
                    type = MetricPayload.Types.MetricType.Count;
                    value = point.Value;
                    break;
                case MetricKind.Sum:
                    if (cumulativeDelta(point) is not { } delta)
                    {
                        continue;
                    }

                    type = MetricPayload.Types.MetricType.Count;
                    value = delta;
                    break;
                default:
                    unsupported++;
                    continue;
            }

            var series = new MetricPayload.Types.MetricSeries { Metric = point.Name, Type = type, Unit = point.Unit };
            series.Resources.Add(new MetricPayload.Types.Resource { Type = "host", Name = hostname });
            foreach (var (key, attr) in point.Attributes.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                series.Tags.Add(key + ":" + attr);
            }

            series.Points.Add(new MetricPayload.Types.MetricPoint { Value = value, Timestamp = (long)(point.TimeUnixNano / 1_000_000_000UL) });
            payload.Series.Add(series);
        }

        return payload;
    }

    private static string? Str(TelemetryResource resource, string key) =>
        resource.Attributes.TryGetValue(key, out var v) && v.Str.Length > 0 ? v.Str : null;
}
