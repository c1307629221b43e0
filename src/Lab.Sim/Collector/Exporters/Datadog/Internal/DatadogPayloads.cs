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
        var payload = Envelope(hostname, env);
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

    /// <summary>The AgentPayload header the trace writer puts around the tracer payloads it flushes.</summary>
    public static AgentPayload Envelope(string hostname, string env) =>
        new() { HostName = hostname, Env = env, AgentVersion = "otelcol-lab", TargetTPS = 10, ErrorTPS = 10 };

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
    /// first point only seeds it). Explicit-bucket histograms per <paramref name="histograms"/> (opentelemetry-mapping-go
    /// metrics translator, mapHistogramMetrics; cumulative ones are turned into deltas by <paramref name="histogramDelta"/>,
    /// the first point only seeding it): <c>distributions</c> (the default) → one sketch per point in
    /// <paramref name="sketches"/> for <c>/api/beta/sketches</c>; <c>counters</c> → a COUNT <c>NAME.bucket</c> per bucket
    /// tagged <c>lower_bound</c>/<c>upper_bound</c> (<c>-inf</c>/<c>inf</c> at the ends); <c>nobuckets</c> → neither;
    /// with <c>send_aggregation_metrics</c> also COUNT <c>NAME.count</c> and <c>NAME.sum</c>. Summaries are counted in
    /// <paramref name="unsupported"/>.
    /// </summary>
    public static MetricPayload Series(
        IReadOnlyList<MetricPoint> points,
        string hostname,
        Func<MetricPoint, double?> cumulativeDelta,
        Func<MetricPoint, HistogramDelta?> histogramDelta,
        DatadogHistogramSettings histograms,
        out SketchPayload sketches,
        out int unsupported)
    {
        unsupported = 0;
        sketches = new SketchPayload();
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
                case MetricKind.Histogram:
                    var histogram = point.Temporality == AggregationTemporality.Cumulative
                        ? histogramDelta(point)
                        : new HistogramDelta(point.Count, point.Value, [.. point.BucketCounts]);
                    if (histogram is not null)
                    {
                        AddHistogram(payload, sketches, point, histogram, hostname, histograms);
                    }

                    continue;
                default:
                    unsupported++;
                    continue;
            }

            payload.Series.Add(NewSeries(point, point.Name, type, value, hostname));
        }

        return payload;
    }

    private static void AddHistogram(MetricPayload series, SketchPayload sketches, MetricPoint point, HistogramDelta delta, string hostname, DatadogHistogramSettings settings)
    {
        var count = MetricPayload.Types.MetricType.Count;
        if (settings.Mode == DatadogHistogramSettings.Distributions && delta.Count > 0)
        {
            var sketch = new SketchPayload.Types.Sketch { Metric = point.Name, Host = hostname };
            sketch.Tags.AddRange(Tags(point));
            var (min, max) = Range(point.ExplicitBounds, delta.Buckets, delta.Sum / delta.Count);

            // The DDSketch bins (k/n) upstream interpolates from the buckets are not emulated: count, sum and the
            // summary values are what the lab's mock and checks read.
            sketch.Dogsketches.Add(new SketchPayload.Types.Sketch.Types.Dogsketch
            {
                Ts = (long)(point.TimeUnixNano / 1_000_000_000UL),
                Cnt = (long)delta.Count,
                Sum = delta.Sum,
                Avg = delta.Sum / delta.Count,
                Min = min,
                Max = max,
            });
            sketches.Sketches.Add(sketch);
        }
        else if (settings.Mode == DatadogHistogramSettings.Counters)
        {
            for (var i = 0; i < delta.Buckets.Count; i++)
            {
                var lower = i > 0 && i - 1 < point.ExplicitBounds.Count ? point.ExplicitBounds[i - 1] : double.NegativeInfinity;
                var upper = i < point.ExplicitBounds.Count ? point.ExplicitBounds[i] : double.PositiveInfinity;
                var bucket = NewSeries(point, point.Name + ".bucket", count, delta.Buckets[i], hostname);
                bucket.Tags.Add("lower_bound:" + FormatBound(lower));
                bucket.Tags.Add("upper_bound:" + FormatBound(upper));
                series.Series.Add(bucket);
            }
        }

        if (settings.SendAggregationMetrics)
        {
            series.Series.Add(NewSeries(point, point.Name + ".count", count, delta.Count, hostname));
            series.Series.Add(NewSeries(point, point.Name + ".sum", count, delta.Sum, hostname));
        }
    }

    // upstream fallback when a point carries no min/max: the bounds of the first and last non-empty buckets (finite ones).
    private static (double Min, double Max) Range(IReadOnlyList<double> bounds, IReadOnlyList<ulong> buckets, double average)
    {
        var first = -1;
        var last = -1;
        for (var i = 0; i < buckets.Count; i++)
        {
            if (buckets[i] > 0)
            {
                first = first < 0 ? i : first;
                last = i;
            }
        }

        var min = first > 0 && first - 1 < bounds.Count ? bounds[first - 1] : average;
        var max = last >= 0 && last < bounds.Count ? bounds[last] : average;
        return (Math.Min(min, average), Math.Max(max, average));
    }

    // upstream mapping-go formatFloat: inf / -inf, else strconv.FormatFloat(f, 'g', -1, 64).
    private static string FormatBound(double bound) => double.IsPositiveInfinity(bound) ? "inf"
        : double.IsNegativeInfinity(bound) ? "-inf"
        : bound.ToString("R", CultureInfo.InvariantCulture).Replace("E", "e", StringComparison.Ordinal);

    private static string[] Tags(MetricPoint point)
    {
        // Sorted by key, with an array sort instead of LINQ's OrderBy (a per-series allocation hot spot at 9,000 targets).
        var pairs = new KeyValuePair<string, AttributeValue>[point.Attributes.Count];
        var i = 0;
        if (point.Attributes is Dictionary<string, AttributeValue> dictionary)
        {
            // Not through the interface: that boxes the enumerator, once per series.
            foreach (var pair in dictionary)
            {
                pairs[i++] = pair;
            }
        }
        else
        {
            foreach (var pair in point.Attributes)
            {
                pairs[i++] = pair;
            }
        }

        Array.Sort(pairs, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var tags = new string[pairs.Length];
        for (i = 0; i < pairs.Length; i++)
        {
            tags[i] = string.Concat(pairs[i].Key, ":", pairs[i].Value.ToString());
        }

        return tags;
    }

    private static MetricPayload.Types.MetricSeries NewSeries(MetricPoint point, string name, MetricPayload.Types.MetricType type, double value, string hostname)
    {
        var series = new MetricPayload.Types.MetricSeries { Metric = name, Type = type, Unit = point.Unit };
        series.Resources.Add(new MetricPayload.Types.Resource { Type = "host", Name = hostname });
        series.Tags.AddRange(Tags(point));
        series.Points.Add(new MetricPayload.Types.MetricPoint { Value = value, Timestamp = (long)(point.TimeUnixNano / 1_000_000_000UL) });
        return series;
    }

    private static string? Str(TelemetryResource resource, string key) =>
        resource.Attributes.TryGetValue(key, out var v) && v.Str.Length > 0 ? v.Str : null;
}
