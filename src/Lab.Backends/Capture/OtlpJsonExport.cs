using System.Buffers.Binary;
using System.Text.Json.Nodes;
using Google.Protobuf;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Logs.V1;
using OpenTelemetry.Proto.Metrics.V1;
using OpenTelemetry.Proto.Resource.V1;
using OpenTelemetry.Proto.Trace.V1;

namespace OtelLab.Backends.Capture;

/// <summary>
/// Writes a capture store as OTLP/JSON (the encoding of the OTLP spec: lowerCamelCase field names, trace and span
/// ids as lowercase hex, enums as integers, 64-bit integers as decimal strings), one <c>TracesData</c> /
/// <c>MetricsData</c> / <c>LogsData</c> object per file, so the collector's otlpjsonfile receiver or other tools can
/// replay a run.
/// </summary>
public static class OtlpJsonExport
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatEnumsAsIntegers(true));
    private static readonly HashSet<string> IdFields = new(StringComparer.Ordinal) { "traceId", "spanId", "parentSpanId" };

    public static string Traces(CaptureStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return Format(TracesData(store.Spans()));
    }

    /// <summary>
    /// Captured spans as an OTLP <c>TracesData</c>, grouped by resource; <paramref name="resourceAttributes"/> are added
    /// to every resource (e.g. which backend stored them, when they are forwarded to another OTLP endpoint).
    /// </summary>
    public static TracesData TracesData(IEnumerable<CapturedSpan> spans, IReadOnlyDictionary<string, string>? resourceAttributes = null)
    {
        ArgumentNullException.ThrowIfNull(spans);
        var data = new TracesData();
        foreach (var group in spans.GroupBy(s => s.Resource))
        {
            var scope = new ScopeSpans();
            scope.Spans.AddRange(group.Select(ToOtlp));
            var resource = ToOtlp(group.Key);
            foreach (var (key, value) in resourceAttributes ?? new Dictionary<string, string>())
            {
                resource.Attributes.Add(new KeyValue { Key = key, Value = new AnyValue { StringValue = value } });
            }

            var resourceSpans = new ResourceSpans { Resource = resource, SchemaUrl = group.Key.SchemaUrl };
            resourceSpans.ScopeSpans.Add(scope);
            data.ResourceSpans.Add(resourceSpans);
        }

        return data;
    }

    public static string Metrics(CaptureStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        var data = new MetricsData();
        foreach (var group in store.Metrics().GroupBy(m => m.Resource))
        {
            var scope = new ScopeMetrics();
            scope.Metrics.AddRange(group.Select(ToOtlp));
            var resourceMetrics = new ResourceMetrics { Resource = ToOtlp(group.Key), SchemaUrl = group.Key.SchemaUrl };
            resourceMetrics.ScopeMetrics.Add(scope);
            data.ResourceMetrics.Add(resourceMetrics);
        }

        return Format(data);
    }

    public static string Logs(CaptureStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        var data = new LogsData();
        foreach (var group in store.Logs().GroupBy(l => l.Resource))
        {
            var scope = new ScopeLogs();
            scope.LogRecords.AddRange(group.Select(ToOtlp));
            var resourceLogs = new ResourceLogs { Resource = ToOtlp(group.Key), SchemaUrl = group.Key.SchemaUrl };
            resourceLogs.ScopeLogs.Add(scope);
            data.ResourceLogs.Add(resourceLogs);
        }

        return Format(data);
    }

    /// <summary>Writes <c>{backend}-traces.json</c>, <c>-metrics.json</c>, <c>-logs.json</c> into <paramref name="directory"/>; returns the paths.</summary>
    public static async Task<IReadOnlyList<string>> WriteFilesAsync(CaptureStore store, string directory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        Directory.CreateDirectory(directory);
        var files = new (string Name, Func<CaptureStore, string> Render)[]
        {
            ("traces", Traces), ("metrics", Metrics), ("logs", Logs),
        };
        var paths = new List<string>();
        foreach (var (name, render) in files)
        {
            var path = Path.Combine(directory, $"{store.Backend}-{name}.json");
            await File.WriteAllTextAsync(path, render(store) + "\n", cancellationToken).ConfigureAwait(false);
            paths.Add(path);
        }

        return paths;
    }

    private static string Format(IMessage message)
    {
        // Protobuf's JSON mapping writes bytes as base64; OTLP/JSON requires hex for trace and span ids.
        var node = JsonNode.Parse(Formatter.Format(message))!;
        HexIds(node);
        return node.ToJsonString();
    }

    private static void HexIds(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToList())
                {
                    if (IdFields.Contains(key) && value is JsonValue v && v.TryGetValue<string>(out var b64))
                    {
                        obj[key] = Convert.ToHexStringLower(Convert.FromBase64String(b64));
                    }
                    else
                    {
                        HexIds(value);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    HexIds(item);
                }

                break;
        }
    }

    private static Resource ToOtlp(CapturedResource resource)
    {
        var otlp = new Resource();
        otlp.Attributes.AddRange(resource.Attributes);
        if (resource.Attributes.All(a => a.Key != "service.name"))
        {
            // A Datadog capture's service comes from each span's `service` field, not a resource attribute: carry it
            // as OTLP's service.name, or a reader of the export (CaptureMirror, a forwarded copy) loses it.
            otlp.Attributes.Add(new KeyValue { Key = "service.name", Value = new AnyValue { StringValue = resource.ServiceName } });
        }

        return otlp;
    }

    private static Span ToOtlp(CapturedSpan span)
    {
        var otlp = new Span
        {
            TraceId = TraceIdBytes(span.TraceId),
            SpanId = SpanIdBytes(span.SpanId),
            Name = span.Name,
            Kind = (Span.Types.SpanKind)span.Kind,
            StartTimeUnixNano = span.StartUnixNano,
            EndTimeUnixNano = span.StartUnixNano + (ulong)Math.Max(0, span.DurationNanos),
            Status = new Status { Code = (Status.Types.StatusCode)span.Status, Message = span.StatusMessage },
        };
        if (span.ParentSpanId != 0)
        {
            otlp.ParentSpanId = SpanIdBytes(span.ParentSpanId);
        }

        otlp.Attributes.AddRange(span.Attributes);
        return otlp;
    }

    private static Metric ToOtlp(CapturedMetric metric)
    {
        if (metric.Otlp is not null)
        {
            return metric.Otlp;
        }

        // Datadog series: COUNT/RATE become delta sums, everything else a gauge.
        var points = metric.Points.Select(p =>
        {
            var point = new NumberDataPoint { TimeUnixNano = p.TimeUnixNano, AsDouble = p.Value };
            point.Attributes.AddRange(p.Attributes);
            return point;
        });
        var otlp = new Metric { Name = metric.Name, Unit = metric.Unit };
        if (metric.Type is CapturedMetricType.Count or CapturedMetricType.Rate)
        {
            otlp.Sum = new Sum { AggregationTemporality = AggregationTemporality.Delta };
            otlp.Sum.DataPoints.AddRange(points);
        }
        else
        {
            otlp.Gauge = new Gauge();
            otlp.Gauge.DataPoints.AddRange(points);
        }

        return otlp;
    }

    private static LogRecord ToOtlp(CapturedLog log)
    {
        if (log.Otlp is not null)
        {
            return log.Otlp;
        }

        var otlp = new LogRecord
        {
            TimeUnixNano = log.TimeUnixNano,
            SeverityText = log.SeverityText,
            SeverityNumber = (SeverityNumber)log.SeverityNumber,
            Body = new AnyValue { StringValue = log.Body },
        };
        otlp.Attributes.AddRange(log.Attributes);
        return otlp;
    }

    internal static ByteString TraceIdBytes(UInt128 id)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, id);
        return ByteString.CopyFrom(bytes);
    }

    internal static ByteString SpanIdBytes(ulong id)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, id);
        return ByteString.CopyFrom(bytes);
    }
}
