namespace OtelLab.Model.Collector.Decoding.Schemas;

/// <summary>upstream: opentelemetry-collector receiver/otlpreceiver/config.go @ v0.105.0.</summary>
public static class OtlpReceiverSchema
{
    public static ComponentSchema Schema { get; } = new(
        ComponentKind.Receiver,
        "otlp",
        ConfigType.Struct(
            "otlpreceiver.Config",
            ("protocols", ConfigType.Struct(
                "otlpreceiver.Protocols",
                ("grpc", CoreConfigTypes.GrpcServer),
                ("http", ConfigType.Struct(
                    "otlpreceiver.HTTPConfig",
                    ConfigMember.Squash(CoreConfigTypes.HttpServer),
                    ("traces_url_path", ConfigType.String),
                    ("metrics_url_path", ConfigType.String),
                    ("logs_url_path", ConfigType.String)))))),
        "open-telemetry/opentelemetry-collector receiver/otlpreceiver/config.go @ v0.105.0");
}
