using System.Buffers.Binary;
using Google.Protobuf;
using Google.Protobuf.Collections;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Metrics.V1;
using OpenTelemetry.Proto.Resource.V1;
using OpenTelemetry.Proto.Trace.V1;
using OtelLab.Sim.Collector.Metrics;
using OtelLab.Sim.Collector.Traces;
using ProtoSpan = OpenTelemetry.Proto.Trace.V1.Span;
using ProtoSpanKind = OpenTelemetry.Proto.Trace.V1.Span.Types.SpanKind;
using ProtoStatusCode = OpenTelemetry.Proto.Trace.V1.Status.Types.StatusCode;
using ProtoTemporality = OpenTelemetry.Proto.Metrics.V1.AggregationTemporality;

namespace OtelLab.Sim.Collector.Otlp;

/// <summary>
/// The one seam between OTLP protobuf and the lab's <see cref="TraceSpan"/>/<see cref="MetricPoint"/>: receivers call
/// <c>To*</c>, exporters call <c>From*</c>. Spans of one <c>ResourceSpans</c> share one <see cref="TelemetryResource"/>
/// and exporters regroup by that instance (and scope), so a round trip keeps resources, scopes, kinds, status, trace
/// state, flags, events and links. Dropped-* counts, schema URLs and exemplars are not carried.
/// </summary>
public static class OtlpConverter
{
    public static List<TraceSpan> ToSpans(ExportTraceServiceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var spans = new List<TraceSpan>();
        foreach (var rs in request.ResourceSpans)
        {
            var resource = ToResource(rs.Resource);
            foreach (var ss in rs.ScopeSpans)
            {
                var scopeName = ss.Scope?.Name ?? string.Empty;
                var scopeVersion = ss.Scope?.Version ?? string.Empty;
                foreach (var s in ss.Spans)
                {
                    spans.Add(new TraceSpan
                    {
                        TraceId = s.TraceId.Length == TraceId.Size ? TraceId.FromBytes(s.TraceId.Span) : TraceId.Empty,
                        SpanId = ToSpanId(s.SpanId),
                        ParentSpanId = ToSpanId(s.ParentSpanId),
                        Name = s.Name,
                        Kind = (Traces.SpanKind)(int)s.Kind,
                        Status = (SpanStatusCode)(int)(s.Status?.Code ?? ProtoStatusCode.Unset),
                        StatusMessage = s.Status?.Message ?? string.Empty,
                        TraceState = s.TraceState,
                        Flags = s.Flags,
                        StartTimeUnixNano = s.StartTimeUnixNano,
                        EndTimeUnixNano = s.EndTimeUnixNano,
                        Resource = resource,
                        ScopeName = scopeName,
                        ScopeVersion = scopeVersion,
                        Attributes = ToAttributes(s.Attributes),
                        Events = s.Events.Count == 0 ? [] : [.. s.Events.Select(e => new SpanEvent(e.Name, e.TimeUnixNano, ToAttributes(e.Attributes)))],
                        Links = s.Links.Count == 0
                            ? []
                            : [.. s.Links.Select(l => new SpanLink(
                                l.TraceId.Length == TraceId.Size ? TraceId.FromBytes(l.TraceId.Span) : TraceId.Empty,
                                ToSpanId(l.SpanId), l.TraceState, l.Flags, ToAttributes(l.Attributes)))],
                    });
                }
            }
        }

        return spans;
    }

    public static ExportTraceServiceRequest FromSpans(IReadOnlyList<TraceSpan> spans)
    {
        ArgumentNullException.ThrowIfNull(spans);
        var request = new ExportTraceServiceRequest();
        // Keyed by position, not by the protobuf messages (their hash walks every span already added; see FromPoints).
        var byResource = new Dictionary<TelemetryResource, int>(ReferenceEqualityComparer.Instance);
        var byScope = new Dictionary<(int Resource, string Name, string Version), ScopeSpans>();
        foreach (var span in spans)
        {
            if (!byResource.TryGetValue(span.Resource, out var resource))
            {
                resource = request.ResourceSpans.Count;
                byResource[span.Resource] = resource;
                request.ResourceSpans.Add(new ResourceSpans { Resource = FromResource(span.Resource) });
            }

            if (!byScope.TryGetValue((resource, span.ScopeName, span.ScopeVersion), out var ss))
            {
                ss = new ScopeSpans { Scope = new InstrumentationScope { Name = span.ScopeName, Version = span.ScopeVersion } };
                byScope[(resource, span.ScopeName, span.ScopeVersion)] = ss;
                request.ResourceSpans[resource].ScopeSpans.Add(ss);
            }

            ss.Spans.Add(FromSpan(span));
        }

        return request;
    }

    public static List<MetricPoint> ToPoints(ExportMetricsServiceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var points = new List<MetricPoint>();
        foreach (var rm in request.ResourceMetrics)
        {
            var resource = ToResource(rm.Resource);
            foreach (var sm in rm.ScopeMetrics)
            {
                var scope = sm.Scope?.Name ?? string.Empty;
                foreach (var m in sm.Metrics)
                {
                    var shape = new MetricPoint { Name = m.Name, Description = m.Description, Unit = m.Unit, Resource = resource, ScopeName = scope };
                    switch (m.DataCase)
                    {
                        case Metric.DataOneofCase.Gauge:
                            // The shape's Kind is already Gauge (the default); a point is one copy of it, made in Number.
                            AddNumbers(points, shape, m.Gauge.DataPoints);
                            break;
                        case Metric.DataOneofCase.Sum:
                            var sum = shape with { Kind = MetricKind.Sum, IsMonotonic = m.Sum.IsMonotonic, Temporality = (Metrics.AggregationTemporality)(int)m.Sum.AggregationTemporality };
                            AddNumbers(points, sum, m.Sum.DataPoints);
                            break;
                        case Metric.DataOneofCase.Histogram:
                            var histogram = shape with { Kind = MetricKind.Histogram, Temporality = (Metrics.AggregationTemporality)(int)m.Histogram.AggregationTemporality };
                            points.AddRange(m.Histogram.DataPoints.Select(p => histogram with
                            {
                                Attributes = ToAttributes(p.Attributes),
                                StartTimeUnixNano = p.StartTimeUnixNano,
                                TimeUnixNano = p.TimeUnixNano,
                                Value = p.HasSum ? p.Sum : 0,
                                Count = p.Count,
                                ExplicitBounds = [.. p.ExplicitBounds],
                                BucketCounts = [.. p.BucketCounts],
                            }));
                            break;
                        case Metric.DataOneofCase.Summary:
                            points.AddRange(m.Summary.DataPoints.Select(p => shape with
                            {
                                Kind = MetricKind.Summary,
                                Attributes = ToAttributes(p.Attributes),
                                StartTimeUnixNano = p.StartTimeUnixNano,
                                TimeUnixNano = p.TimeUnixNano,
                                Value = p.Sum,
                                Count = p.Count,
                                Quantiles = [.. p.QuantileValues.Select(q => (q.Quantile, q.Value))],
                            }));
                            break;
                        default:
                            // Exponential histograms are not carried by the lab's point model.
                            break;
                    }
                }
            }
        }

        return points;
    }

    public static ExportMetricsServiceRequest FromPoints(IReadOnlyList<MetricPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var request = new ExportMetricsServiceRequest();
        // Keyed by position, not by the protobuf messages: their Equals/GetHashCode walk the whole message (every metric
        // and point in it), which made each lookup as costly as the batch (a 9,000-target profile spent 19 % of its CPU here).
        var byResource = new Dictionary<TelemetryResource, int>(ReferenceEqualityComparer.Instance);
        var scopes = new List<ScopeMetrics>();
        var byScope = new Dictionary<(int Resource, string Scope), int>();
        var byMetric = new Dictionary<(int Scope, string Name, MetricKind Kind, Metrics.AggregationTemporality Temporality, bool Monotonic), Metric>();
        foreach (var p in points)
        {
            if (!byResource.TryGetValue(p.Resource, out var resource))
            {
                resource = request.ResourceMetrics.Count;
                byResource[p.Resource] = resource;
                request.ResourceMetrics.Add(new ResourceMetrics { Resource = FromResource(p.Resource) });
            }

            if (!byScope.TryGetValue((resource, p.ScopeName), out var scope))
            {
                var sm = new ScopeMetrics { Scope = new InstrumentationScope { Name = p.ScopeName } };
                scope = scopes.Count;
                scopes.Add(sm);
                byScope[(resource, p.ScopeName)] = scope;
                request.ResourceMetrics[resource].ScopeMetrics.Add(sm);
            }

            var key = (scope, p.Name, p.Kind, p.Temporality, p.IsMonotonic);
            if (!byMetric.TryGetValue(key, out var metric))
            {
                metric = NewMetric(p);
                byMetric[key] = metric;
                scopes[scope].Metrics.Add(metric);
            }

            AddPoint(metric, p);
        }

        return request;
    }

    private static Metric NewMetric(MetricPoint p)
    {
        var metric = new Metric { Name = p.Name, Description = p.Description, Unit = p.Unit };
        var temporality = (ProtoTemporality)(int)p.Temporality;
        switch (p.Kind)
        {
            case MetricKind.Sum:
                metric.Sum = new Sum { AggregationTemporality = temporality, IsMonotonic = p.IsMonotonic };
                break;
            case MetricKind.Histogram:
                metric.Histogram = new Histogram { AggregationTemporality = temporality };
                break;
            case MetricKind.Summary:
                metric.Summary = new Summary();
                break;
            default:
                metric.Gauge = new Gauge();
                break;
        }

        return metric;
    }

    private static void AddPoint(Metric metric, MetricPoint p)
    {
        switch (metric.DataCase)
        {
            case Metric.DataOneofCase.Sum:
                metric.Sum.DataPoints.Add(FromNumber(p));
                break;
            case Metric.DataOneofCase.Gauge:
                metric.Gauge.DataPoints.Add(FromNumber(p));
                break;
            case Metric.DataOneofCase.Histogram:
                var h = new HistogramDataPoint { StartTimeUnixNano = p.StartTimeUnixNano, TimeUnixNano = p.TimeUnixNano, Count = p.Count, Sum = p.Value };
                AddAttributes(h.Attributes, p.Attributes);
                h.ExplicitBounds.AddRange(p.ExplicitBounds);
                h.BucketCounts.AddRange(p.BucketCounts);
                metric.Histogram.DataPoints.Add(h);
                break;
            case Metric.DataOneofCase.Summary:
                var s = new SummaryDataPoint { StartTimeUnixNano = p.StartTimeUnixNano, TimeUnixNano = p.TimeUnixNano, Count = p.Count, Sum = p.Value };
                AddAttributes(s.Attributes, p.Attributes);
                s.QuantileValues.AddRange(p.Quantiles.Select(q => new SummaryDataPoint.Types.ValueAtQuantile { Quantile = q.Quantile, Value = q.Value }));
                metric.Summary.DataPoints.Add(s);
                break;
        }
    }

    private static NumberDataPoint FromNumber(MetricPoint p)
    {
        var n = new NumberDataPoint { StartTimeUnixNano = p.StartTimeUnixNano, TimeUnixNano = p.TimeUnixNano, AsDouble = p.Value };
        AddAttributes(n.Attributes, p.Attributes);
        return n;
    }

    private static void AddNumbers(List<MetricPoint> points, MetricPoint shape, RepeatedField<NumberDataPoint> dataPoints)
    {
        points.EnsureCapacity(points.Count + dataPoints.Count);
        for (var i = 0; i < dataPoints.Count; i++)
        {
            points.Add(Number(shape, dataPoints[i]));
        }
    }

    private static MetricPoint Number(MetricPoint shape, NumberDataPoint p) => shape with
    {
        Attributes = ToAttributes(p.Attributes),
        StartTimeUnixNano = p.StartTimeUnixNano,
        TimeUnixNano = p.TimeUnixNano,
        Value = p.ValueCase == NumberDataPoint.ValueOneofCase.AsInt ? p.AsInt : p.AsDouble,
    };

    private static ProtoSpan FromSpan(TraceSpan span)
    {
        var s = new ProtoSpan
        {
            TraceId = TraceIdBytes(span.TraceId),
            SpanId = SpanIdBytes(span.SpanId),
            ParentSpanId = span.ParentSpanId == 0 ? ByteString.Empty : SpanIdBytes(span.ParentSpanId),
            Name = span.Name,
            Kind = (ProtoSpanKind)(int)span.Kind,
            StartTimeUnixNano = span.StartTimeUnixNano,
            EndTimeUnixNano = span.EndTimeUnixNano,
            TraceState = span.TraceState,
            Flags = span.Flags,
            Status = new Status { Code = (ProtoStatusCode)(int)span.Status, Message = span.StatusMessage },
        };
        AddAttributes(s.Attributes, span.Attributes);
        foreach (var e in span.Events)
        {
            var pe = new ProtoSpan.Types.Event { Name = e.Name, TimeUnixNano = e.TimeUnixNano };
            AddAttributes(pe.Attributes, e.Attributes);
            s.Events.Add(pe);
        }

        foreach (var l in span.Links)
        {
            var pl = new ProtoSpan.Types.Link { TraceId = TraceIdBytes(l.TraceId), SpanId = SpanIdBytes(l.SpanId), TraceState = l.TraceState, Flags = l.Flags };
            AddAttributes(pl.Attributes, l.Attributes);
            s.Links.Add(pl);
        }

        return s;
    }

    private static ulong ToSpanId(ByteString bytes) => bytes.Length == 8 ? BinaryPrimitives.ReadUInt64BigEndian(bytes.Span) : 0;

    private static ByteString SpanIdBytes(ulong id)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(b, id);
        return ByteString.CopyFrom(b);
    }

    private static ByteString TraceIdBytes(TraceId id)
    {
        Span<byte> b = stackalloc byte[TraceId.Size];
        id.WriteBytes(b);
        return ByteString.CopyFrom(b);
    }

    private static TelemetryResource ToResource(Resource? resource) =>
        resource is null || resource.Attributes.Count == 0 ? TelemetryResource.Empty : new TelemetryResource(ToAttributes(resource.Attributes));

    private static Resource FromResource(TelemetryResource resource)
    {
        var r = new Resource();
        AddAttributes(r.Attributes, resource.Attributes);
        return r;
    }

    /// <summary>OTLP key/values to the lab's attributes (last duplicate key wins).</summary>
    public static IReadOnlyDictionary<string, AttributeValue> ToAttributes(IEnumerable<KeyValue> attributes)
    {
        // Sized up front: growing the map was a tenth of a 9,000-target lab's allocations (measured).
        var map = new Dictionary<string, AttributeValue>(attributes is IReadOnlyCollection<KeyValue> known ? known.Count : 0, StringComparer.Ordinal);
        if (attributes is RepeatedField<KeyValue> field)
        {
            // Indexed: through the interface a RepeatedField's enumerator is an allocated iterator, once per point.
            for (var i = 0; i < field.Count; i++)
            {
                map[field[i].Key] = ToValue(field[i].Value);
            }

            return map;
        }

        foreach (var kv in attributes)
        {
            map[kv.Key] = ToValue(kv.Value);
        }

        return map;
    }

    private static void AddAttributes(RepeatedField<KeyValue> target, IReadOnlyDictionary<string, AttributeValue> attributes)
    {
        if (attributes.Count == 0)
        {
            return;
        }

        target.Capacity = target.Count + attributes.Count;
        foreach (var (key, value) in attributes)
        {
            target.Add(new KeyValue { Key = key, Value = FromValue(value) });
        }
    }

    private static AttributeValue ToValue(AnyValue? v) => v?.ValueCase switch
    {
        AnyValue.ValueOneofCase.StringValue => AttributeValue.FromString(v.StringValue),
        AnyValue.ValueOneofCase.BoolValue => AttributeValue.FromBool(v.BoolValue),
        AnyValue.ValueOneofCase.IntValue => AttributeValue.FromInt(v.IntValue),
        AnyValue.ValueOneofCase.DoubleValue => AttributeValue.FromDouble(v.DoubleValue),
        AnyValue.ValueOneofCase.BytesValue => AttributeValue.FromBytes(v.BytesValue.ToByteArray()),
        AnyValue.ValueOneofCase.ArrayValue => AttributeValue.FromArray([.. v.ArrayValue.Values.Select(ToValue)]),
        AnyValue.ValueOneofCase.KvlistValue => AttributeValue.FromMap(ToAttributes(v.KvlistValue.Values)),
        _ => AttributeValue.Empty,
    };

    private static AnyValue FromValue(AttributeValue v)
    {
        switch (v.Kind)
        {
            case AttributeValueKind.String:
                return new AnyValue { StringValue = v.Str };
            case AttributeValueKind.Bool:
                return new AnyValue { BoolValue = v.Bool };
            case AttributeValueKind.Int:
                return new AnyValue { IntValue = v.Int };
            case AttributeValueKind.Double:
                return new AnyValue { DoubleValue = v.Double };
            case AttributeValueKind.Bytes:
                return new AnyValue { BytesValue = ByteString.CopyFrom(v.Bytes.Span) };
            case AttributeValueKind.Array:
                var array = new ArrayValue();
                array.Values.AddRange(v.Array.Select(FromValue));
                return new AnyValue { ArrayValue = array };
            case AttributeValueKind.Map:
                var list = new KeyValueList();
                AddAttributes(list.Values, v.Map);
                return new AnyValue { KvlistValue = list };
            default:
                return new AnyValue();
        }
    }
}
