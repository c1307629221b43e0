namespace OtelLab.Model.Collector.Decoding.Schemas;

/// <summary>
/// upstream: opentelemetry-collector exporter/otlpexporter/config.go @ v0.105.0 — TimeoutSettings and
/// configgrpc.ClientConfig squashed, <c>sending_queue</c>, <c>retry_on_failure</c>.
/// </summary>
public static class OtlpExporterSchema
{
    public static ConfigType Config { get; } = ConfigType.Struct(
        "otlpexporter.Config",
        ConfigMember.Squash(CoreConfigTypes.Timeout),
        ("sending_queue", CoreConfigTypes.Queue),
        ("retry_on_failure", CoreConfigTypes.Retry),
        ConfigMember.Squash(CoreConfigTypes.GrpcClient));

    public static ComponentSchema Schema { get; } = new(
        ComponentKind.Exporter, "otlp", Config, "open-telemetry/opentelemetry-collector exporter/otlpexporter/config.go @ v0.105.0");
}
