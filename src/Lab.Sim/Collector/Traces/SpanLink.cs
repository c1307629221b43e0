namespace OtelLab.Sim.Collector.Traces;

/// <summary>An OTLP <c>Span.Link</c> to a span of another (or the same) trace.</summary>
public sealed record SpanLink(TraceId TraceId, ulong SpanId, string TraceState, uint Flags, IReadOnlyDictionary<string, AttributeValue> Attributes);
