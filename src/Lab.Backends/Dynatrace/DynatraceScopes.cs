namespace OtelLab.Backends.Dynatrace;

/// <summary>Dynatrace API token scopes for OTLP ingest (backends.md).</summary>
public static class DynatraceScopes
{
    public const string TracesIngest = "openTelemetryTrace.ingest";
    public const string MetricsIngest = "metrics.ingest";
    public const string LogsIngest = "logs.ingest";

    public static IReadOnlyList<string> AllOtlp { get; } = [TracesIngest, MetricsIngest, LogsIngest];
}
