namespace OtelLab.Model.Collector.Decoding.Schemas;

/// <summary>
/// upstream: opentelemetry-collector exporter/debugexporter/config.go @ v0.105.0. <c>verbosity</c> is a
/// configtelemetry.Level, matched case-insensitively by its UnmarshalText; the lab decodes it as a string.
/// </summary>
public static class DebugExporterSchema
{
    public static ComponentSchema Schema { get; } = new(
        ComponentKind.Exporter,
        "debug",
        ConfigType.Struct(
            "debugexporter.Config",
            ("verbosity", ConfigType.Named("configtelemetry.Level"), "basic"),
            ("sampling_initial", ConfigType.Int, "2"),
            ("sampling_thereafter", ConfigType.Int, "1"),
            ("use_internal_logger", ConfigType.Bool, "true")),
        "open-telemetry/opentelemetry-collector exporter/debugexporter/config.go @ v0.105.0");
}
