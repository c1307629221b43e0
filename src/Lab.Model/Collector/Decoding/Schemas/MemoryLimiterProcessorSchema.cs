namespace OtelLab.Model.Collector.Decoding.Schemas;

/// <summary>upstream: opentelemetry-collector internal/memorylimiter/config.go @ v0.105.0 (the processor's config type).</summary>
public static class MemoryLimiterProcessorSchema
{
    public static ComponentSchema Schema { get; } = new(
        ComponentKind.Processor,
        "memory_limiter",
        ConfigType.Struct(
            "memorylimiter.Config",
            ("check_interval", ConfigType.Duration),
            ("limit_mib", ConfigType.Uint32),
            ("spike_limit_mib", ConfigType.Uint32),
            ("limit_percentage", ConfigType.Uint32),
            ("spike_limit_percentage", ConfigType.Uint32)),
        "open-telemetry/opentelemetry-collector internal/memorylimiter/config.go @ v0.105.0");
}
