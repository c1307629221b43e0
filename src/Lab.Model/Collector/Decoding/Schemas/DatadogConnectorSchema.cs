namespace OtelLab.Model.Collector.Decoding.Schemas;

/// <summary>
/// upstream: opentelemetry-collector-contrib connector/datadogconnector/config.go @ v0.105.0 — one key,
/// <c>traces</c> (the APM stats settings), not judged below it.
/// </summary>
public static class DatadogConnectorSchema
{
    public static ComponentSchema Schema { get; } = new(
        ComponentKind.Connector,
        "datadog",
        ConfigType.Struct("datadogconnector.Config", ("traces", ConfigType.Any)),
        "open-telemetry/opentelemetry-collector-contrib connector/datadogconnector/config.go @ v0.105.0");
}
