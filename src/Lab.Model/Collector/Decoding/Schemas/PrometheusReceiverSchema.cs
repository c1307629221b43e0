namespace OtelLab.Model.Collector.Decoding.Schemas;

/// <summary>
/// upstream: opentelemetry-collector-contrib receiver/prometheusreceiver/config.go @ v0.105.0. <c>config</c> is
/// Prometheus's own configuration (strict YAML of its own, not mapstructure) and is not judged here;
/// <c>target_allocator</c> squashes confighttp.ClientConfig (what the operator writes: endpoint, interval, collector_id).
/// UNCONFIRMED against the tagged v0.105.0 source (contrib is not mirrored for the lab; read from upstream's struct
/// of that era): a key upstream has and this table lacks is a false finding — add it here with a test row.
/// </summary>
public static class PrometheusReceiverSchema
{
    public static ComponentSchema Schema { get; } = new(
        ComponentKind.Receiver,
        "prometheus",
        ConfigType.Struct(
            "prometheusreceiver.Config",
            ("config", ConfigType.Any),
            ("trim_metric_suffixes", ConfigType.Bool),
            ("use_start_time_metric", ConfigType.Bool),
            ("start_time_metric_regex", ConfigType.String),
            ("report_extra_scrape_metrics", ConfigType.Bool),
            ("target_allocator", ConfigType.Struct(
                "prometheusreceiver.TargetAllocator",
                ConfigMember.Squash(CoreConfigTypes.HttpClient),
                ("interval", ConfigType.Duration),
                ("collector_id", ConfigType.String),
                ("http_sd_config", ConfigType.Any),
                ("http_scrape_config", ConfigType.Any)))),
        "open-telemetry/opentelemetry-collector-contrib receiver/prometheusreceiver/config.go @ v0.105.0");
}
