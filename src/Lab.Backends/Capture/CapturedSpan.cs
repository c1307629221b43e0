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
        get => _attributes ??= DatadogSource is { } source ? Datadog.Internal.DatadogCapture.SpanAttributes(source) : CapturedResource.Empty;
        init => _attributes = value;
    }

    /// <summary>The decoded Datadog span, kept so its meta/metrics maps are converted only when someone reads them (hot path).</summary>
    internal Datadog.Protocol.Span? DatadogSource { get; init; }

    public string ServiceName => Resource.ServiceName;

    public string TraceIdHex => TraceId.ToString("x32", null);

    public string SpanIdHex => SpanId.ToString("x16", null);

    public string ParentSpanIdHex => ParentSpanId == 0 ? "" : ParentSpanId.ToString("x16", null);
}
