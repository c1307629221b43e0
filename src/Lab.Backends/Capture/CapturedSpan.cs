using OpenTelemetry.Proto.Common.V1;

namespace OtelLab.Backends.Capture;

/// <summary>Status of a captured span (OTLP status code; Datadog <c>error = 1</c> maps to <see cref="Error"/>).</summary>
public enum CapturedStatus
{
    Unset = 0,
    Ok = 1,
    Error = 2,
}

/// <summary>
/// One span as a backend received it, decoded into the lab's model (compact: ids as integers, attributes by
/// reference to the decoded request). Rendered ids are lowercase hex, as in OTLP/JSON.
/// </summary>
public sealed class CapturedSpan
{
    public required CapturedResource Resource { get; init; }

    public required UInt128 TraceId { get; init; }

    public required ulong SpanId { get; init; }

    /// <summary>0 for a root span.</summary>
    public ulong ParentSpanId { get; init; }

    public required string Name { get; init; }

    /// <summary>OTLP span kind number (0 unspecified … 5 consumer); Datadog spans carry 0.</summary>
    public int Kind { get; init; }

    public CapturedStatus Status { get; init; }

    public string StatusMessage { get; init; } = "";

    public ulong StartUnixNano { get; init; }

    public long DurationNanos { get; init; }

    /// <summary>Datadog's <c>resource</c> (the endpoint); empty for OTLP spans.</summary>
    public string DatadogResource { get; init; } = "";

    public required IReadOnlyList<KeyValue> Attributes { get; init; }

    public string ServiceName => Resource.ServiceName;

    public string TraceIdHex => TraceId.ToString("x32", null);

    public string SpanIdHex => SpanId.ToString("x16", null);

    public string ParentSpanIdHex => ParentSpanId == 0 ? "" : ParentSpanId.ToString("x16", null);
}
