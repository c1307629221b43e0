using System.Buffers.Binary;
using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.Collections;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Metrics.V1;
using OpenTelemetry.Proto.Resource.V1;

namespace OtelLab.Backends.Capture.Internal;

/// <summary>Decodes OTLP messages into the capture model without copying attributes (they are shared by reference).</summary>
internal static class OtlpCapture
{
    /// <summary>What the SDKs report when service.name is not set (OTel resource semantic conventions).</summary>
    public const string UnknownService = "unknown_service";

    public readonly record struct Origin(string Backend, CredentialFingerprint Credential, DateTimeOffset At, string? Peer);

    public static CapturedResource ResourceOf(in Origin origin, Resource? resource, string schemaUrl) => new()
    {
        Backend = origin.Backend,
        ServiceName = Names.Intern(StringAttribute(resource?.Attributes, "service.name") ?? UnknownService),
        Attributes = (IReadOnlyList<KeyValue>?)resource?.Attributes ?? CapturedResource.Empty,
        Credential = origin.Credential,
        ReceivedAt = origin.At,
        PeerAddress = origin.Peer,
        SchemaUrl = schemaUrl,
    };

    public static CapturedSpan[] Spans(ExportTraceServiceRequest request, in Origin origin)
    {
        var total = 0;
        foreach (var rs in request.ResourceSpans)
        {
            foreach (var ss in rs.ScopeSpans)
            {
                total += ss.Spans.Count;
            }
        }

        var result = new CapturedSpan[total];
        var i = 0;
        foreach (var rs in request.ResourceSpans)
        {
            var resource = ResourceOf(origin, rs.Resource, rs.SchemaUrl);
            foreach (var ss in rs.ScopeSpans)
            {
                foreach (var span in ss.Spans)
                {
                    var start = span.StartTimeUnixNano;
                    result[i++] = new CapturedSpan
                    {
                        Resource = resource,
                        TraceId = TraceId(span.TraceId),
                        SpanId = SpanId(span.SpanId),
                        ParentSpanId = SpanId(span.ParentSpanId),
                        Name = Names.Intern(span.Name),
                        Kind = (int)span.Kind,
                        Status = span.Status is null ? CapturedStatus.Unset : (CapturedStatus)(int)span.Status.Code,
                        StatusMessage = span.Status?.Message ?? "",
                        StartUnixNano = start,
                        DurationNanos = span.EndTimeUnixNano >= start ? (long)(span.EndTimeUnixNano - start) : 0,
                        EncodedOtlpAttributes = Encode(span.Attributes),
                    };
                }
            }
        }

        return result;
    }

    public static List<CapturedLog> Logs(ExportLogsServiceRequest request, in Origin origin)
    {
        var result = new List<CapturedLog>();
        foreach (var rl in request.ResourceLogs)
        {
            var resource = ResourceOf(origin, rl.Resource, rl.SchemaUrl);
            foreach (var sl in rl.ScopeLogs)
            {
                foreach (var record in sl.LogRecords)
                {
                    result.Add(new CapturedLog
                    {
                        Resource = resource,
                        TimeUnixNano = record.TimeUnixNano != 0 ? record.TimeUnixNano : record.ObservedTimeUnixNano,
                        SeverityText = record.SeverityText,
                        SeverityNumber = (int)record.SeverityNumber,
                        Body = Text(record.Body),
                        TraceId = TraceId(record.TraceId),
                        SpanId = SpanId(record.SpanId),
                        Attributes = record.Attributes,
                        Otlp = record,
                    });
                }
            }
        }

        return result;
    }

    /// <summary>The points of a metric as (attributes, time, value, count); value is the sum for histograms and summaries.</summary>
    public static IEnumerable<CapturedPoint> Points(Metric metric) => metric.DataCase switch
    {
        Metric.DataOneofCase.Gauge => metric.Gauge.DataPoints.Select(Number),
        Metric.DataOneofCase.Sum => metric.Sum.DataPoints.Select(Number),
        Metric.DataOneofCase.Histogram => metric.Histogram.DataPoints.Select(p => new CapturedPoint(p.TimeUnixNano, p.HasSum ? p.Sum : 0, p.Count, p.Attributes)),
        Metric.DataOneofCase.ExponentialHistogram => metric.ExponentialHistogram.DataPoints.Select(p => new CapturedPoint(p.TimeUnixNano, p.HasSum ? p.Sum : 0, p.Count, p.Attributes)),
        Metric.DataOneofCase.Summary => metric.Summary.DataPoints.Select(p => new CapturedPoint(p.TimeUnixNano, p.Sum, p.Count, p.Attributes)),
        _ => [],
    };

    public static int PointCount(Metric metric) => metric.DataCase switch
    {
        Metric.DataOneofCase.Gauge => metric.Gauge.DataPoints.Count,
        Metric.DataOneofCase.Sum => metric.Sum.DataPoints.Count,
        Metric.DataOneofCase.Histogram => metric.Histogram.DataPoints.Count,
        Metric.DataOneofCase.ExponentialHistogram => metric.ExponentialHistogram.DataPoints.Count,
        Metric.DataOneofCase.Summary => metric.Summary.DataPoints.Count,
        _ => 0,
    };

    public static (CapturedMetricType Type, CapturedTemporality Temporality, bool Monotonic) Shape(Metric metric) => metric.DataCase switch
    {
        Metric.DataOneofCase.Sum => (CapturedMetricType.Sum, (CapturedTemporality)(int)metric.Sum.AggregationTemporality, metric.Sum.IsMonotonic),
        Metric.DataOneofCase.Histogram => (CapturedMetricType.Histogram, (CapturedTemporality)(int)metric.Histogram.AggregationTemporality, false),
        Metric.DataOneofCase.ExponentialHistogram => (CapturedMetricType.ExponentialHistogram, (CapturedTemporality)(int)metric.ExponentialHistogram.AggregationTemporality, false),
        Metric.DataOneofCase.Summary => (CapturedMetricType.Summary, CapturedTemporality.Unspecified, false),
        _ => (CapturedMetricType.Gauge, CapturedTemporality.Unspecified, false),
    };

    /// <summary>Span.attributes is field 9 (tag 74 = 9 &lt;&lt; 3 | length-delimited), so the encoding parses back as a Span.</summary>
    private static readonly FieldCodec<KeyValue> AttributesCodec = FieldCodec.ForMessage(74u, KeyValue.Parser);

    /// <summary>Span names repeat (routes, operations): keep one instance of each instead of one per captured span.</summary>
    private static readonly StringPool Names = new(capacity: 20_000);

    public static byte[]? Encode(RepeatedField<KeyValue> attributes)
    {
        if (attributes.Count == 0)
        {
            return null;
        }

        var bytes = new byte[attributes.CalculateSize(AttributesCodec)];
        var output = new CodedOutputStream(bytes);
        attributes.WriteTo(output, AttributesCodec);
        output.Flush();
        return bytes;
    }

    public static IReadOnlyList<KeyValue> DecodeAttributes(byte[] encoded) =>
        OpenTelemetry.Proto.Trace.V1.Span.Parser.ParseFrom(encoded).Attributes;

    public static UInt128 TraceId(ByteString bytes) =>
        bytes.Length == 16 ? BinaryPrimitives.ReadUInt128BigEndian(bytes.Span) : 0;

    public static ulong SpanId(ByteString bytes) =>
        bytes.Length == 8 ? BinaryPrimitives.ReadUInt64BigEndian(bytes.Span) : 0;

    public static string? StringAttribute(RepeatedField<KeyValue>? attributes, string key)
    {
        if (attributes is null)
        {
            return null;
        }

        foreach (var kv in attributes)
        {
            if (kv.Key == key && kv.Value?.ValueCase == AnyValue.ValueOneofCase.StringValue)
            {
                return kv.Value.StringValue;
            }
        }

        return null;
    }

    /// <summary>An attribute value as text (for the query API and Datadog-style tags).</summary>
    public static string Text(AnyValue? value) => value?.ValueCase switch
    {
        AnyValue.ValueOneofCase.StringValue => value.StringValue,
        AnyValue.ValueOneofCase.BoolValue => value.BoolValue ? "true" : "false",
        AnyValue.ValueOneofCase.IntValue => value.IntValue.ToString(CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue.ToString("R", CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.BytesValue => Convert.ToBase64String(value.BytesValue.Span),
        AnyValue.ValueOneofCase.ArrayValue => "[" + string.Join(",", value.ArrayValue.Values.Select(Text)) + "]",
        AnyValue.ValueOneofCase.KvlistValue => "{" + string.Join(",", value.KvlistValue.Values.Select(kv => kv.Key + "=" + Text(kv.Value))) + "}",
        _ => "",
    };

    public static KeyValue StringKeyValue(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };

    private static CapturedPoint Number(NumberDataPoint p) =>
        new(p.TimeUnixNano, p.ValueCase == NumberDataPoint.ValueOneofCase.AsInt ? p.AsInt : p.AsDouble, 1, p.Attributes);
}
