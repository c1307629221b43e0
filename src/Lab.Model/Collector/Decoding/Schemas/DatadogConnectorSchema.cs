namespace OtelLab.Model.Collector.Decoding.Schemas;

/// <summary>
/// upstream: opentelemetry-collector-contrib connector/datadogconnector/config.go @ v0.105.0 — one key,
/// <c>traces</c> (the APM stats settings), not judged below it.
/// UNCONFIRMED against the tagged v0.105.0 source (contrib is not mirrored for the lab; read from upstream's struct
/// of that era): a key upstream has and this table lacks is a false finding — add it here with a test row.
/// </summary>
public static class DatadogConnectorSchema
{
    public static ComponentSchema Schema { get; } = new(
        ComponentKind.Connector,
        "datadog",
        ConfigType.Struct("datadogconnector.Config", ("traces", ConfigType.Any)),
        "open-telemetry/opentelemetry-collector-contrib connector/datadogconnector/config.go @ v0.105.0");
}
