namespace OtelLab.Model.Collector.Decoding.Schemas;

/// <summary>
/// upstream: opentelemetry-collector-contrib exporter/loadbalancingexporter/config.go @ v0.105.0 — <c>protocol.otlp</c>
/// is a whole otlpexporter.Config; resolvers <c>static</c>, <c>dns</c> (its <c>port</c> is a Go string),
/// <c>k8s</c>, <c>aws_cloud_map</c> (not judged); <c>routing_key</c>. The top-level exporterhelper settings
/// (<c>timeout</c>, <c>sending_queue</c>, <c>retry_on_failure</c>) arrived in a later release and are accepted.
/// </summary>
public static class LoadBalancingExporterSchema
{
    public static ComponentSchema Schema { get; } = new(
        ComponentKind.Exporter,
        "loadbalancing",
        ConfigType.Struct(
            "loadbalancingexporter.Config",
            ConfigMember.Squash(CoreConfigTypes.Timeout),
            ("sending_queue", CoreConfigTypes.Queue),
            ("retry_on_failure", CoreConfigTypes.Retry),
            ("protocol", ConfigType.Struct("loadbalancingexporter.Protocol", ("otlp", OtlpExporterSchema.Config))),
            ("resolver", ConfigType.Struct(
                "loadbalancingexporter.ResolverSettings",
                ("static", ConfigType.Struct("loadbalancingexporter.StaticResolver", ("hostnames", ConfigType.Strings))),
                ("dns", ConfigType.Struct(
                    "loadbalancingexporter.DNSResolver",
                    ("hostname", ConfigType.String),
                    ("port", ConfigType.String),
                    ("interval", ConfigType.Duration),
                    ("timeout", ConfigType.Duration))),
                ("k8s", ConfigType.Struct(
                    "loadbalancingexporter.K8sSvcResolver",
                    ("service", ConfigType.String),
                    ("ports", ConfigType.ListOf(ConfigType.Int32)),
                    ("timeout", ConfigType.Duration))),
                ("aws_cloud_map", ConfigType.Any))),
            ("routing_key", ConfigType.String)),
        "open-telemetry/opentelemetry-collector-contrib exporter/loadbalancingexporter/config.go @ v0.105.0");
}
