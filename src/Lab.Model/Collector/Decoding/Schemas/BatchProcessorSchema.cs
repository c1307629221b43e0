namespace OtelLab.Model.Collector.Decoding.Schemas;

/// <summary>upstream: opentelemetry-collector processor/batchprocessor/config.go @ v0.105.0 (defaults 200ms, 8192, 0, 1000).</summary>
public static class BatchProcessorSchema
{
    public static ComponentSchema Schema { get; } = new(
        ComponentKind.Processor,
        "batch",
        ConfigType.Struct(
            "batchprocessor.Config",
            ("timeout", ConfigType.Duration, "200ms"),
            ("send_batch_size", ConfigType.Uint32, "8192"),
            ("send_batch_max_size", ConfigType.Uint32, "0"),
            ("metadata_keys", ConfigType.Strings),
            ("metadata_cardinality_limit", ConfigType.Uint32, "1000")),
        "open-telemetry/opentelemetry-collector processor/batchprocessor/config.go @ v0.105.0");
}
