using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Tests.Sim.Collector.Processors.TailSampling;

/// <summary>Small builders for spans in tests.</summary>
internal static class TestSpans
{
    public const ulong Epoch = 1_700_000_000_000_000_000UL;

    private static long _nextSpanId = 1;

    public static TraceId Id(int n) => new(0x0102030405060708UL, (ulong)n);

    public static TraceSpan Span(
        TraceId traceId,
        SpanStatusCode status = SpanStatusCode.Unset,
        ulong startMs = 0,
        ulong durationMs = 1,
        TelemetryResource? resource = null,
        IReadOnlyDictionary<string, AttributeValue>? attributes = null) => new()
        {
            TraceId = traceId,
            SpanId = (ulong)Interlocked.Increment(ref _nextSpanId),
            Name = "op",
            Status = status,
            StartTimeUnixNano = Epoch + (startMs * 1_000_000),
            EndTimeUnixNano = Epoch + ((startMs + durationMs) * 1_000_000),
            Resource = resource ?? TelemetryResource.ForService("checkout"),
            Attributes = attributes ?? new Dictionary<string, AttributeValue>(),
        };

    public static Dictionary<string, AttributeValue> Attrs(params (string Key, AttributeValue Value)[] entries) =>
        entries.ToDictionary(e => e.Key, e => e.Value);
}
