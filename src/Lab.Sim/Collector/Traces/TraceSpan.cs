namespace OtelLab.Sim.Collector.Traces;

/// <summary>
/// One span as the emulated collector components see it, independent of protobuf. This is the seam for the
/// OTLP protobuf types that arrive later: an adapter maps <c>ResourceSpans/ScopeSpans/Span</c> onto this record
/// (one <see cref="TelemetryResource"/> instance per <c>ResourceSpans</c>).
/// </summary>
public sealed record TraceSpan
{
    public required TraceId TraceId { get; init; }

    public required ulong SpanId { get; init; }

    /// <summary>0 for a root span.</summary>
    public ulong ParentSpanId { get; init; }

    public string Name { get; init; } = string.Empty;

    public SpanStatusCode Status { get; init; }

    public ulong StartTimeUnixNano { get; init; }

    public ulong EndTimeUnixNano { get; init; }

    public TelemetryResource Resource { get; init; } = TelemetryResource.Empty;

    public IReadOnlyDictionary<string, AttributeValue> Attributes { get; init; } = EmptyAttributes;

    public SpanKind Kind { get; init; }

    /// <summary>OTLP <c>Status.message</c>.</summary>
    public string StatusMessage { get; init; } = string.Empty;

    /// <summary>The W3C <c>tracestate</c> header value.</summary>
    public string TraceState { get; init; } = string.Empty;

    /// <summary>OTLP <c>Span.flags</c> (W3C trace flags in the low byte).</summary>
    public uint Flags { get; init; }

    /// <summary>The instrumentation scope the span was reported under.</summary>
    public string ScopeName { get; init; } = string.Empty;

    public string ScopeVersion { get; init; } = string.Empty;

    public IReadOnlyList<SpanEvent> Events { get; init; } = [];

    public IReadOnlyList<SpanLink> Links { get; init; } = [];

    /// <summary>The resource's <c>service.name</c>.</summary>
    public string ServiceName => Resource.ServiceName;

    private static readonly IReadOnlyDictionary<string, AttributeValue> EmptyAttributes = new Dictionary<string, AttributeValue>();
}
