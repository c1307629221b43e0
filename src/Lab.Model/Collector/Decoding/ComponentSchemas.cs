using OtelLab.Model.Collector.Decoding.Schemas;

namespace OtelLab.Model.Collector.Decoding;

/// <summary>
/// The config schema of every component the lab emulates (and of the extensions its distributions list), keyed like the
/// collector's factories by kind and type. A type without a schema is not judged.
/// </summary>
public static class ComponentSchemas
{
    private static readonly ComponentSchema[] Schemas =
    [
        OtlpReceiverSchema.Schema,
        PrometheusReceiverSchema.Schema,
        BatchProcessorSchema.Schema,
        MemoryLimiterProcessorSchema.Schema,
        K8sAttributesProcessorSchema.Schema,
        ResourceDetectionProcessorSchema.Schema,
        FilterProcessorSchema.Schema,
        CumulativeToDeltaProcessorSchema.Schema,
        TailSamplingProcessorSchema.Schema,
        OtlpExporterSchema.Schema,
        OtlpHttpExporterSchema.Schema,
        DebugExporterSchema.Schema,
        LoadBalancingExporterSchema.Schema,
        DatadogExporterSchema.Schema,
        DatadogConnectorSchema.Schema,
        .. ExtensionSchemas.All,
    ];

    private static readonly Dictionary<(ComponentKind, string), ComponentSchema> ByType = Schemas.ToDictionary(s => (s.Kind, s.Type));

    public static IEnumerable<ComponentSchema> All => ByType.Values;

    public static ComponentSchema? Find(ComponentKind kind, string type) => ByType.GetValueOrDefault((kind, type));
}
