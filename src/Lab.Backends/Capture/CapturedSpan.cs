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
    private IReadOnlyList<KeyValue>? _attributes;

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

    /// <summary>Span attributes (Datadog: meta as strings, metrics as doubles, type as <c>span.type</c>), converted on first read.</summary>
    public IReadOnlyList<KeyValue> Attributes
    {
        get => _attributes ??= EncodedDatadogSpan is { } source ? Datadog.Internal.DatadogCapture.SpanAttributes(Datadog.Protocol.Span.Parser.ParseFrom(source))
            : EncodedOtlpAttributes is { } encoded ? Internal.OtlpCapture.DecodeAttributes(encoded)
            : CapturedResource.Empty;
        init => _attributes = value;
    }

    /// <summary>
    /// The OTLP span's attributes as encoded bytes (field 9 of Span), decoded on first read: one small array retained
    /// per span instead of the ~15 objects of decoded attributes, which is what bounds ingest speed (measured).
    /// </summary>
    internal byte[]? EncodedOtlpAttributes { get; init; }

    /// <summary>The Datadog span re-encoded (one array retained instead of its meta/metrics maps), converted on first read.</summary>
    internal byte[]? EncodedDatadogSpan { get; init; }

    public string ServiceName => Resource.ServiceName;

    public string TraceIdHex => TraceId.ToString("x32", null);

    public string SpanIdHex => SpanId.ToString("x16", null);

    public string ParentSpanIdHex => ParentSpanId == 0 ? "" : ParentSpanId.ToString("x16", null);
}
