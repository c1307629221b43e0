using OpenTelemetry.Proto.Common.V1;

namespace OtelLab.Backends.Capture;

/// <summary>One log record as a backend received it.</summary>
public sealed class CapturedLog
{
    public required CapturedResource Resource { get; init; }

    public ulong TimeUnixNano { get; init; }

    public string SeverityText { get; init; } = "";

    public int SeverityNumber { get; init; }

    public required string Body { get; init; }

    public UInt128 TraceId { get; init; }

    public ulong SpanId { get; init; }

    public required IReadOnlyList<KeyValue> Attributes { get; init; }

    /// <summary>The decoded OTLP record, kept for OTLP/JSON export (null for Datadog logs).</summary>
    internal OpenTelemetry.Proto.Logs.V1.LogRecord? Otlp { get; init; }

    public string ServiceName => Resource.ServiceName;
}
