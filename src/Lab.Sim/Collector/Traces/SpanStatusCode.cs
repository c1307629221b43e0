namespace OtelLab.Sim.Collector.Traces;

/// <summary>OTLP <c>Status.StatusCode</c>; the numeric values are the protobuf enum's.</summary>
public enum SpanStatusCode
{
    Unset = 0,
    Ok = 1,
    Error = 2,
}
