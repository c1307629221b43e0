namespace OtelLab.Sim.Collector.Traces;

/// <summary>OTLP <c>Span.SpanKind</c>; the numeric values are the protobuf enum's.</summary>
public enum SpanKind
{
    Unspecified = 0,
    Internal = 1,
    Server = 2,
    Client = 3,
    Producer = 4,
    Consumer = 5,
}
