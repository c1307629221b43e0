using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using OpenTelemetry.Proto.Common.V1;
using OtelLab.Backends.Capture;
using OtelLab.Backends.Capture.Internal;
using OtelLab.Backends.Datadog.Protocol;

namespace OtelLab.Backends.Datadog.Internal;

/// <summary>Decodes Datadog intake payloads (AgentPayload, MetricPayload, series JSON, sketches, logs JSON) into the capture model.</summary>
internal static class DatadogCapture
{
    private const long NanosPerSecond = 1_000_000_000;

    /// <summary>Operation and resource names repeat: one shared instance each (bounded).</summary>
    private static readonly StringPool Names = new(capacity: 20_000);

    public static List<CapturedSpan> Spans(AgentPayload payload, in OtlpCapture.Origin origin)
    {
        var result = new List<CapturedSpan>();
        foreach (var tracer in payload.TracerPayloads)
        {
            var resourceAttributes = TracerResource(payload, tracer);
            var byService = new Dictionary<string, CapturedResource>(StringComparer.Ordinal);
            foreach (var chunk in tracer.Chunks)
            {
                foreach (var span in chunk.Spans)
                {
                    if (!byService.TryGetValue(span.Service, out var resource))
                    {
                        resource = Resource(origin, span.Service.Length == 0 ? OtlpCapture.UnknownService : span.Service, resourceAttributes);
                        byService.Add(span.Service, resource);
                    }

                    result.Add(new CapturedSpan
                    {
                        Resource = resource,
                        TraceId = TraceId(span),
                        SpanId = span.SpanID,
                        ParentSpanId = span.ParentID,
                        Name = Names.Intern(span.Name),
                        Kind = Kind(span.Meta.GetValueOrDefault("span.kind")),
                        Status = span.Error != 0 ? CapturedStatus.Error : CapturedStatus.Unset,
                        StatusMessage = span.Meta.GetValueOrDefault("error.msg") ?? "",
                        StartUnixNano = (ulong)Math.Max(0, span.Start),
                        DurationNanos = span.Duration,
                        DatadogResource = Names.Intern(span.Resource),
                        EncodedDatadogSpan = span.ToByteArray(),
                    });
                }
            }
        }

        return result;
    }

    /// <summary>
    /// The series of a protobuf <c>MetricPayload</c>, each kept with its bytes as received, read by a wire walk
    /// (<see cref="DatadogSeriesWire"/>); a payload the walk does not read is decoded.
    /// </summary>
    public static List<CapturedMetric> Series(byte[] body, int length, in OtlpCapture.Origin origin)
    {
        var walked = new List<DatadogSeriesWire.SeriesEntry>();
        if (!DatadogSeriesWire.TryWalk(body.AsSpan(0, length), walked))
        {
            return Series(MetricPayload.Parser.ParseFrom(body, 0, length), origin);
        }

        var result = new List<CapturedMetric>(walked.Count);
        var resources = new Dictionary<(string? Host, string? Service), CapturedResource>();
        foreach (var series in walked)
        {
            result.Add(SeriesMetric(origin, resources, series.Host, series.Service, series.Metric, series.Type, series.Unit, series.Points,
                body.AsSpan(series.Start, series.Length).ToArray()));
        }

        return result;
    }

    public static List<CapturedMetric> Series(MetricPayload payload, in OtlpCapture.Origin origin)
    {
        var result = new List<CapturedMetric>(payload.Series.Count);
        var resources = new Dictionary<(string? Host, string? Service), CapturedResource>();
        foreach (var series in payload.Series)
        {
            result.Add(SeriesMetric(origin, resources, Host(series.Resources), ServiceTag(series.Tags), series.Metric, (int)series.Type, series.Unit,
                series.Points.Count, series.ToByteArray()));
        }

        return result;
    }

    // Series of one payload mostly share a host and service: one resource each, not one per series.
    private static CapturedMetric SeriesMetric(
        in OtlpCapture.Origin origin,
        Dictionary<(string? Host, string? Service), CapturedResource> resources,
        string? host,
        string? service,
        string metric,
        int seriesType,
        string unit,
        int points,
        byte[] encoded)
    {
        if (!resources.TryGetValue((host, service), out var resource))
        {
            resource = Resource(origin, service ?? OtlpCapture.UnknownService, HostAttributes(host));
            resources.Add((host, service), resource);
        }

        var type = SeriesType(seriesType);
        return new CapturedMetric
        {
            Resource = resource,
            Name = metric,
            Type = type,
            Temporality = DatadogTemporality(type),
            Unit = unit,
            PointCount = points,
            EncodedDatadogSeries = encoded,
        };
    }

    /// <summary>A series' points with its tags as attributes (the form <see cref="CapturedMetric.Points"/> decodes to).</summary>
    public static IReadOnlyList<CapturedPoint> SeriesPoints(MetricPayload.Types.MetricSeries series)
    {
        var attributes = TagAttributes(series.Tags);
        var points = new CapturedPoint[series.Points.Count];
        for (var i = 0; i < points.Length; i++)
        {
            var p = series.Points[i];
            points[i] = new CapturedPoint((ulong)Math.Max(0, p.Timestamp) * NanosPerSecond, p.Value, 1, attributes);
        }

        return points;
    }

    private static string? Host(IEnumerable<MetricPayload.Types.Resource> resources)
    {
        foreach (var r in resources)
        {
            if (r.Type == "host")
            {
                return r.Name;
            }
        }

        return null;
    }

    private static string? ServiceTag(IEnumerable<string> tags)
    {
        foreach (var t in tags)
        {
            if (t.StartsWith("service:", StringComparison.Ordinal))
            {
                return t["service:".Length..];
            }
        }

        return null;
    }

    /// <summary>
    /// The JSON forms of series: v2 <c>{"series":[{"metric","type":0-3,"points":[{"timestamp","value"}],"tags","resources"}]}</c>
    /// (datadog-api-client, the exporter's fallback) and v1 <c>{"series":[{"metric","type":"gauge","points":[[ts,v]],"host","tags"}]}</c>.
    /// </summary>
    public static List<CapturedMetric> SeriesJson(JsonElement root, in OtlpCapture.Origin origin)
    {
        var result = new List<CapturedMetric>();
        if (!root.TryGetProperty("series", out var seriesArray) || seriesArray.ValueKind != JsonValueKind.Array)
        {
            throw new JsonException("missing 'series' array");
        }

        foreach (var series in seriesArray.EnumerateArray())
        {
            var name = series.GetProperty("metric").GetString() ?? "";
            var tags = series.TryGetProperty("tags", out var t) && t.ValueKind == JsonValueKind.Array ? t.EnumerateArray().Select(x => x.GetString() ?? "").ToList() : [];
            var attributes = TagAttributes(tags);
            var type = CapturedMetricType.Gauge;
            if (series.TryGetProperty("type", out var typeElement))
            {
                type = typeElement.ValueKind == JsonValueKind.Number
                    ? SeriesType(typeElement.GetInt32())
                    : typeElement.GetString() switch { "count" => CapturedMetricType.Count, "rate" => CapturedMetricType.Rate, _ => CapturedMetricType.Gauge };
            }

            string? host = series.TryGetProperty("host", out var h) ? h.GetString() : null;
            if (series.TryGetProperty("resources", out var resources) && resources.ValueKind == JsonValueKind.Array)
            {
                host ??= resources.EnumerateArray().Where(r => r.TryGetProperty("type", out var rt) && rt.GetString() == "host")
                    .Select(r => r.GetProperty("name").GetString()).FirstOrDefault();
            }

            var points = new List<CapturedPoint>();
            foreach (var point in series.GetProperty("points").EnumerateArray())
            {
                var (ts, value) = point.ValueKind == JsonValueKind.Array
                    ? (point[0].GetDouble(), point[1].GetDouble())
                    : (point.GetProperty("timestamp").GetDouble(), point.GetProperty("value").GetDouble());
                points.Add(new CapturedPoint((ulong)Math.Max(0, ts) * NanosPerSecond, value, 1, attributes));
            }

            var unit = series.TryGetProperty("unit", out var u) ? u.GetString() ?? "" : "";
            result.Add(Metric(origin, name, type, unit, host, tags, points));
        }

        return result;
    }

    public static List<CapturedMetric> Sketches(SketchPayload payload, in OtlpCapture.Origin origin)
    {
        var result = new List<CapturedMetric>(payload.Sketches.Count);
        foreach (var sketch in payload.Sketches)
        {
            var attributes = TagAttributes(sketch.Tags);
            var points = sketch.Dogsketches.Select(d => new CapturedPoint((ulong)Math.Max(0, d.Ts) * NanosPerSecond, d.Sum, (ulong)Math.Max(0, d.Cnt), attributes))
                .Concat(sketch.Distributions.Select(d => new CapturedPoint((ulong)Math.Max(0, d.Ts) * NanosPerSecond, d.Sum, (ulong)Math.Max(0, d.Cnt), attributes)))
                .ToList();
            result.Add(Metric(origin, sketch.Metric, CapturedMetricType.Sketch, "", sketch.Host, sketch.Tags, points));
        }

        return result;
    }

    /// <summary>Logs intake JSON: an array of log objects (or one object): message, status, service, hostname, ddsource, ddtags.</summary>
    public static List<CapturedLog> Logs(JsonElement root, in OtlpCapture.Origin origin)
    {
        var items = root.ValueKind == JsonValueKind.Array ? root.EnumerateArray().ToList() : [root];
        var result = new List<CapturedLog>(items.Count);
        foreach (var item in items)
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw new JsonException("a log entry must be a JSON object");
            }

            string? service = null, message = null, status = null, host = null;
            var attributes = new List<KeyValue>();
            ulong time = 0;
            foreach (var property in item.EnumerateObject())
            {
                var text = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() ?? "" : property.Value.GetRawText();
                switch (property.Name)
                {
                    case "message": message = text; break;
                    case "service": service = text; break;
                    case "status": status = text; break;
                    case "hostname": host = text; break;
                    case "ddtags": attributes.AddRange(TagAttributes(text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))); break;
                    case "timestamp" when property.Value.ValueKind == JsonValueKind.Number:
                        time = (ulong)Math.Max(0, property.Value.GetDouble() * 1_000_000); // milliseconds
                        break;
                    default: attributes.Add(OtlpCapture.StringKeyValue(property.Name, text)); break;
                }
            }

            var resourceAttributes = new List<KeyValue>();
            if (host is not null)
            {
                resourceAttributes.Add(OtlpCapture.StringKeyValue("host.name", host));
            }

            result.Add(new CapturedLog
            {
                Resource = Resource(origin, service ?? OtlpCapture.UnknownService, resourceAttributes),
                TimeUnixNano = time,
                SeverityText = status ?? "",
                Body = message ?? "",
                Attributes = attributes,
            });
        }

        return result;
    }

    private static CapturedMetric Metric(in OtlpCapture.Origin origin, string name, CapturedMetricType type, string unit, string? host, IEnumerable<string> tags, List<CapturedPoint> points) => new()
    {
        Resource = Resource(origin, ServiceTag(tags) ?? OtlpCapture.UnknownService, HostAttributes(host)),
        Name = name,
        Type = type,
        Temporality = DatadogTemporality(type),
        Unit = unit,
        Points = points,
    };

    private static CapturedTemporality DatadogTemporality(CapturedMetricType type) =>
        type is CapturedMetricType.Count or CapturedMetricType.Rate or CapturedMetricType.Sketch ? CapturedTemporality.Delta : CapturedTemporality.Unspecified;

    private static List<KeyValue> HostAttributes(string? host) =>
        string.IsNullOrEmpty(host) ? [] : [OtlpCapture.StringKeyValue("host.name", host)];

    private static CapturedResource Resource(in OtlpCapture.Origin origin, string service, IReadOnlyList<KeyValue> attributes) => new()
    {
        Backend = origin.Backend,
        ServiceName = service,
        Attributes = attributes,
        Credential = origin.Credential,
        ReceivedAt = origin.At,
        PeerAddress = origin.Peer,
    };

    // Datadog v2 intake / agent-payload v5 numbering: 0 unspecified, 1 count, 2 rate, 3 gauge.
    private static CapturedMetricType SeriesType(int type) => type switch
    {
        1 => CapturedMetricType.Count,
        2 => CapturedMetricType.Rate,
        _ => CapturedMetricType.Gauge,
    };

    private static List<KeyValue> TracerResource(AgentPayload payload, TracerPayload tracer)
    {
        var attributes = new List<KeyValue>();
        void Add(string key, string value)
        {
            if (value.Length > 0)
            {
                attributes.Add(OtlpCapture.StringKeyValue(key, value));
            }
        }

        Add("host.name", tracer.Hostname.Length > 0 ? tracer.Hostname : payload.HostName);
        Add("deployment.environment", tracer.Env.Length > 0 ? tracer.Env : payload.Env);
        Add("service.version", tracer.AppVersion);
        Add("telemetry.sdk.language", tracer.LanguageName);
        Add("container.id", tracer.ContainerID);
        foreach (var (key, value) in tracer.Tags)
        {
            Add(key, value);
        }

        return attributes;
    }

    public static List<KeyValue> SpanAttributes(Span span)
    {
        var attributes = new List<KeyValue>(span.Meta.Count + span.Metrics.Count + 1);
        foreach (var (key, value) in span.Meta)
        {
            attributes.Add(OtlpCapture.StringKeyValue(key, value));
        }

        foreach (var (key, value) in span.Metrics)
        {
            attributes.Add(new KeyValue { Key = key, Value = new AnyValue { DoubleValue = value } });
        }

        if (span.Type.Length > 0)
        {
            attributes.Add(OtlpCapture.StringKeyValue("span.type", span.Type));
        }

        return attributes;
    }

    /// <summary>128-bit trace id: the span's 64-bit id is the low half; the high half is meta <c>_dd.p.tid</c> (16 hex digits).</summary>
    private static UInt128 TraceId(Span span)
    {
        ulong high = 0;
        if (span.Meta.TryGetValue("_dd.p.tid", out var tid))
        {
            _ = ulong.TryParse(tid, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out high);
        }

        return new UInt128(high, span.TraceID);
    }

    private static int Kind(string? kind) => kind switch
    {
        "internal" => 1,
        "server" => 2,
        "client" => 3,
        "producer" => 4,
        "consumer" => 5,
        _ => 0,
    };

    private static List<KeyValue> TagAttributes(IEnumerable<string> tags)
    {
        var attributes = new List<KeyValue>(tags is IReadOnlyCollection<string> known ? known.Count : 4);
        foreach (var tag in tags)
        {
            var colon = tag.IndexOf(':', StringComparison.Ordinal);
            attributes.Add(colon < 0 ? OtlpCapture.StringKeyValue(tag, "") : OtlpCapture.StringKeyValue(tag[..colon], tag[(colon + 1)..]));
        }

        return attributes;
    }
}
