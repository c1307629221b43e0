using System.IO.Compression;
using System.Net.Http.Headers;
using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Metrics.V1;
using OpenTelemetry.Proto.Resource.V1;
using OpenTelemetry.Proto.Trace.V1;

namespace OtelLab.Tests.Backends;

/// <summary>Hand-built OTLP payloads and HTTP contents for the backend tests.</summary>
internal static class OtlpPayloads
{
    public static Resource Service(string name, int extraAttributes = 0)
    {
        var resource = new Resource();
        resource.Attributes.Add(Attribute("service.name", name));
        for (var i = 0; i < extraAttributes; i++)
        {
            resource.Attributes.Add(Attribute($"extra.{i}", "x"));
        }

        return resource;
    }

    public static KeyValue Attribute(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };

    /// <summary>One trace of <paramref name="spans"/> spans (the first is the root), ids derived from <paramref name="seed"/>.</summary>
    public static ExportTraceServiceRequest Trace(string service, int spans, ulong seed = 1)
    {
        var scope = new ScopeSpans { Scope = new InstrumentationScope { Name = "lab" } };
        var traceId = new byte[16];
        BitConverter.TryWriteBytes(traceId.AsSpan(8), seed);
        traceId[0] = 0xab;
        for (var i = 0; i < spans; i++)
        {
            var span = new Span
            {
                TraceId = ByteString.CopyFrom(traceId),
                SpanId = ByteString.CopyFrom(BitConverter.GetBytes(seed * 100_000 + (ulong)i + 1)),
                Name = $"op-{i % 10}",
                Kind = Span.Types.SpanKind.Server,
                StartTimeUnixNano = 1_700_000_000_000_000_000UL + (ulong)i,
                EndTimeUnixNano = 1_700_000_000_000_000_000UL + (ulong)i + 1_500_000,
                Status = new Status { Code = i % 7 == 0 ? Status.Types.StatusCode.Error : Status.Types.StatusCode.Unset },
            };
            if (i > 0)
            {
                span.ParentSpanId = ByteString.CopyFrom(BitConverter.GetBytes(seed * 100_000 + 1));
            }

            span.Attributes.Add(Attribute("http.route", "/orders/{id}"));
            span.Attributes.Add(new KeyValue { Key = "http.response.status_code", Value = new AnyValue { IntValue = 200 } });
            scope.Spans.Add(span);
        }

        var resourceSpans = new ResourceSpans { Resource = Service(service) };
        resourceSpans.ScopeSpans.Add(scope);
        var request = new ExportTraceServiceRequest();
        request.ResourceSpans.Add(resourceSpans);
        return request;
    }

    public static ExportMetricsServiceRequest Metrics(string service, params Metric[] metrics)
    {
        var scope = new ScopeMetrics { Scope = new InstrumentationScope { Name = "lab" } };
        scope.Metrics.AddRange(metrics);
        var resourceMetrics = new ResourceMetrics { Resource = Service(service) };
        resourceMetrics.ScopeMetrics.Add(scope);
        var request = new ExportMetricsServiceRequest();
        request.ResourceMetrics.Add(resourceMetrics);
        return request;
    }

    public static Metric Sum(string name, AggregationTemporality temporality, bool monotonic, params double[] values)
    {
        var sum = new Sum { AggregationTemporality = temporality, IsMonotonic = monotonic };
        sum.DataPoints.AddRange(values.Select(v => Point(v)));
        return new Metric { Name = name, Sum = sum };
    }

    public static Metric Gauge(string name, params NumberDataPoint[] points)
    {
        var gauge = new Gauge();
        gauge.DataPoints.AddRange(points);
        return new Metric { Name = name, Gauge = gauge };
    }

    public static NumberDataPoint Point(double value, params KeyValue[] attributes)
    {
        var point = new NumberDataPoint { AsDouble = value, TimeUnixNano = 1_700_000_000_000_000_000UL };
        point.Attributes.AddRange(attributes);
        return point;
    }

    public static ByteArrayContent Protobuf(IMessage message, bool gzip = false) => Content(message.ToByteArray(), gzip);

    public static ByteArrayContent Content(byte[] bytes, bool gzip, string contentType = "application/x-protobuf")
    {
        var content = new ByteArrayContent(gzip ? Gzip(bytes) : bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        if (gzip)
        {
            content.Headers.ContentEncoding.Add("gzip");
        }

        return content;
    }

    public static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(bytes);
        }

        return output.ToArray();
    }

    public static byte[] Zlib(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Fastest))
        {
            zlib.Write(bytes);
        }

        return output.ToArray();
    }
}
