namespace OtelLab.Model.Collector.Decoding;

/// <summary>
/// Decodes every configured component of a collector config against its schema, in the order upstream unmarshals
/// the sections (receivers, processors, exporters, connectors, extensions; otelcol/unmarshaler.go). Components of a
/// type without a schema are skipped.
/// </summary>
public static class ComponentConfigCheck
{
    private static readonly ComponentKind[] SectionOrder =
        [ComponentKind.Receiver, ComponentKind.Processor, ComponentKind.Exporter, ComponentKind.Connector, ComponentKind.Extension];

    /// <summary>Components whose settings do not decode, each with its problems in upstream's order.</summary>
    public static IReadOnlyList<ComponentDecodeFailure> Run(CollectorConfig config, MapstructureDialect dialect, bool unresolvedReferences = false)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(dialect);
        var decoder = new ConfigDecoder(dialect.StrictTypes, unresolvedReferences);
        var failures = new List<ComponentDecodeFailure>();
        foreach (var kind in SectionOrder)
        {
            foreach (var component in config.ByKind(kind).Values)
            {
                if (ComponentSchemas.Find(kind, component.Id.Type) is not { } schema)
                {
                    continue;
                }

                var problems = decoder.Decode(component.Settings, schema.Config);
                if (problems.Count > 0)
                {
                    failures.Add(new ComponentDecodeFailure(component, schema, problems));
                }
            }
        }

        return failures;
    }
}
