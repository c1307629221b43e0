namespace OtelLab.Model.Collector.Decoding.Schemas;

/// <summary>
/// upstream: opentelemetry-collector exporter/otlphttpexporter/config.go @ v0.105.0 — confighttp.ClientConfig squashed
/// (its <c>timeout</c> is the request timeout), per-signal endpoints, <c>encoding</c> (EncodingType.UnmarshalText:
/// "invalid encoding type: %s").
/// </summary>
public static class OtlpHttpExporterSchema
{
    public static ComponentSchema Schema { get; } = new(
        ComponentKind.Exporter,
        "otlphttp",
        ConfigType.Struct(
            "otlphttpexporter.Config",
            ConfigMember.Squash(CoreConfigTypes.HttpClient),
            ("sending_queue", CoreConfigTypes.Queue),
            ("retry_on_failure", CoreConfigTypes.Retry),
            ("traces_endpoint", ConfigType.String),
            ("metrics_endpoint", ConfigType.String),
            ("logs_endpoint", ConfigType.String),
            ("encoding", ConfigType.Enum("otlphttpexporter.EncodingType", "invalid encoding type: {0}", "proto", "json"), "proto")),
        "open-telemetry/opentelemetry-collector exporter/otlphttpexporter/config.go @ v0.105.0");
}
