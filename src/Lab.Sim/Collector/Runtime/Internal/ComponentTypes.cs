using OtelLab.Model.Collector;
using OtelLab.Model.Collector.Decoding;
using OtelLab.Sim.Collector.Pipeline;

namespace OtelLab.Sim.Collector.Runtime.Internal;

/// <summary>
/// Which factories a collector binary has: the lab's <see cref="ComponentCatalog"/> filtered by the image's
/// distribution. Every configured component (used or not) must have a type the binary knows and settings that decode
/// into its config struct, as upstream's config unmarshaling checks them all, section by section, before building
/// anything. upstream: otelcol/internal/configunmarshaler/configs.go — errorUnknownType
/// <c>unknown type: %q for id: %q (valid values: %v)</c> (the logging exporter gets its deprecation text) and
/// errorUnmarshalError <c>error reading configuration for %q: %w</c>, wrapped by otelcol/collector.go as
/// <c>failed to get config: cannot unmarshal the configuration: …</c> in the image's mapstructure dialect
/// (<see cref="MapstructureDialect"/>) with the section key, e.g. <c>'processors'</c>.
/// </summary>
internal sealed class ComponentTypes
{
    private readonly Dictionary<(ComponentKind, string), IComponentFactory> _factories;
    private readonly CollectorDistribution _distribution;

    private ComponentTypes(Dictionary<(ComponentKind, string), IComponentFactory> factories, CollectorDistribution distribution)
    {
        _factories = factories;
        _distribution = distribution;
    }

    public static ComponentTypes Check(CollectorConfig config, CollectorDistribution distribution, IReadOnlyList<IComponentFactory> catalog, MapstructureDialect dialect)
    {
        var decoder = new ConfigDecoder(dialect.StrictTypes);
        var factories = new Dictionary<(ComponentKind, string), IComponentFactory>();
        foreach (var f in catalog.Where(f => distribution.Has(f.Kind, f.Type)))
        {
            factories.TryAdd((f.Kind, f.Type), f);
        }

        var failed = new List<(ComponentKind, string)>();
        foreach (var kind in new[] { ComponentKind.Receiver, ComponentKind.Processor, ComponentKind.Exporter, ComponentKind.Connector, ComponentKind.Extension })
        {
            if (FirstError(config, kind, distribution, decoder, dialect) is { } detail)
            {
                failed.Add((kind, detail));
            }
        }

        if (failed.Count > 0)
        {
            throw new CollectorStartException(dialect.UnmarshalError(failed));
        }

        return new ComponentTypes(factories, distribution);
    }

    // configunmarshaler.Configs.Unmarshal: the section's first component of an unknown type or with settings that do
    // not decode ends it (upstream walks a Go map, so "first" is unspecified there; here it is the file's order).
    private static string? FirstError(CollectorConfig config, ComponentKind kind, CollectorDistribution distribution, ConfigDecoder decoder, MapstructureDialect dialect)
    {
        foreach (var component in config.ByKind(kind).Values)
        {
            var id = component.Id;
            if (!distribution.Has(kind, id.Type))
            {
                return kind == ComponentKind.Exporter && id.Type == "logging"
                    ? "the logging exporter has been deprecated, use the debug exporter instead"
                    : $"unknown type: \"{id.Type}\" for id: \"{id}\" (valid values: [{string.Join(' ', distribution.Types(kind).Order(StringComparer.Ordinal))}])";
            }

            if (ComponentSchemas.Find(kind, id.Type) is { } schema && decoder.Decode(component.Settings, schema.Config) is { Count: > 0 } problems)
            {
                return dialect.ComponentDetail(id, problems);
            }
        }

        return null;
    }

    public IComponentFactory For(ComponentKind kind, ComponentId id) =>
        _factories.TryGetValue((kind, id.Type), out var f)
            ? f
            : throw new CollectorStartException(
                $"{kind.ToString().ToLowerInvariant()} \"{id}\": the type \"{id.Type}\" exists in the {_distribution.Name} distribution but the lab does not emulate it");
}
