namespace OtelLab.Sim.Collector.Traces;

/// <summary>An OTLP <c>Span.Event</c> (e.g. an exception recorded on the span).</summary>
public sealed record SpanEvent(string Name, ulong TimeUnixNano, IReadOnlyDictionary<string, AttributeValue> Attributes);
