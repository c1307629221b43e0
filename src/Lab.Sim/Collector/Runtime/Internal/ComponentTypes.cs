using OtelLab.Model.Collector;
using OtelLab.Sim.Collector.Pipeline;

namespace OtelLab.Sim.Collector.Runtime.Internal;

/// <summary>
/// Which factories a collector binary has: the lab's <see cref="ComponentCatalog"/> filtered by the image's
/// distribution. Every configured component (used or not) must have a type the binary knows, as upstream's
/// config unmarshaling checks them all before building anything.
/// upstream: otelcol/internal/configunmarshaler/configs.go errorUnknownType —
/// <c>unknown type: %q for id: %q (valid values: %v)</c> (the logging exporter gets its deprecation text), wrapped by
/// otelcol/collector.go as <c>failed to get config: cannot unmarshal the configuration: …</c> with mapstructure's
/// <c>decoding failed due to the following error(s):</c> and the section key, e.g. <c>'processors'</c>.
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

    public static ComponentTypes Check(CollectorConfig config, CollectorDistribution distribution, IReadOnlyList<IComponentFactory> catalog)
    {
        var factories = new Dictionary<(ComponentKind, string), IComponentFactory>();
        foreach (var f in catalog.Where(f => distribution.Has(f.Kind, f.Type)))
        {
            factories.TryAdd((f.Kind, f.Type), f);
        }

        foreach (var (kind, section) in new[]
                 {
                     (ComponentKind.Receiver, "receivers"), (ComponentKind.Processor, "processors"), (ComponentKind.Exporter, "exporters"),
                     (ComponentKind.Connector, "connectors"), (ComponentKind.Extension, "extensions"),
                 })
        {
            foreach (var id in config.ByKind(kind).Keys)
            {
                if (distribution.Has(kind, id.Type))
                {
                    continue;
                }

                var detail = kind == ComponentKind.Exporter && id.Type == "logging"
                    ? "the logging exporter has been deprecated, use the debug exporter instead"
                    : $"unknown type: \"{id.Type}\" for id: \"{id}\" (valid values: [{string.Join(' ', distribution.Types(kind).Order(StringComparer.Ordinal))}])";
                throw new CollectorStartException(
                    $"failed to get config: cannot unmarshal the configuration: decoding failed due to the following error(s):\n\n'{section}' {detail}");
            }
        }

        return new ComponentTypes(factories, distribution);
    }

    public IComponentFactory For(ComponentKind kind, ComponentId id) =>
        _factories.TryGetValue((kind, id.Type), out var f)
            ? f
            : throw new CollectorStartException(
                $"{kind.ToString().ToLowerInvariant()} \"{id}\": the type \"{id.Type}\" exists in the {_distribution.Name} distribution but the lab does not emulate it");
}
