using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Resource.V1;
using OpenTelemetry.Proto.Trace.V1;

namespace OtelLab.Load.Simulations;

/// <summary>
/// The payload of the <c>otlp</c> load target: one OTLP/HTTP protobuf export request of <c>spans</c> spans in traces
/// of five, in the manner of telemetrygen's <c>traces --child-spans</c> (a root and its children): raw spans straight to a collector, for rates the sample
/// services cannot reach. Each call makes new trace and span ids.
/// </summary>
public static class OtlpSpanBatch
{
    private const int SpansPerTrace = 5;

    public static byte[] Create(int spans, TimeProvider time, Random random)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(random);
        var now = (ulong)time.GetUtcNow().ToUnixTimeMilliseconds() * 1_000_000UL;
        var scope = new ScopeSpans { Scope = new InstrumentationScope { Name = "otel-lab-load", Version = "1" } };
        ByteString trace = ByteString.Empty;
        ByteString parent = ByteString.Empty;
        for (var i = 0; i < spans; i++)
        {
            if (i % SpansPerTrace == 0)
            {
                trace = Id(random, 16);
                parent = ByteString.Empty;
            }

            var span = new Span
            {
                TraceId = trace,
                SpanId = Id(random, 8),
                ParentSpanId = parent,
                Name = parent.IsEmpty ? "load-root" : "load-child",
                Kind = parent.IsEmpty ? Span.Types.SpanKind.Server : Span.Types.SpanKind.Client,
                StartTimeUnixNano = now - 1_000_000UL,
                EndTimeUnixNano = now,
            };
            parent = span.SpanId;
            scope.Spans.Add(span);
        }

        var resource = new ResourceSpans { Resource = new Resource(), ScopeSpans = { scope } };
        resource.Resource.Attributes.Add(new KeyValue { Key = "service.name", Value = new AnyValue { StringValue = "telemetrygen" } });
        return new ExportTraceServiceRequest { ResourceSpans = { resource } }.ToByteArray();
    }

    private static ByteString Id(Random random, int length)
    {
        var bytes = new byte[length];
        do
        {
            random.NextBytes(bytes);
        }
        while (Array.TrueForAll(bytes, b => b == 0));

        return ByteString.CopyFrom(bytes);
    }
}
