using OtelLab.Model.Yaml;
using YamlDotNet.RepresentationModel;

namespace OtelLab.Model.Collector;

/// <summary>
/// A collector configuration (<c>collector.yaml</c>): components by kind, the service's pipelines and extensions,
/// and every <c>${…}</c> reference, each with its source position.
/// </summary>
public sealed class CollectorConfig
{
    public required YamlMappingNode Root { get; init; }

    public required SourceLocation Location { get; init; }

    public required IReadOnlyDictionary<ComponentId, ComponentConfig> Receivers { get; init; }

    public required IReadOnlyDictionary<ComponentId, ComponentConfig> Processors { get; init; }

    public required IReadOnlyDictionary<ComponentId, ComponentConfig> Exporters { get; init; }

    public required IReadOnlyDictionary<ComponentId, ComponentConfig> Connectors { get; init; }

    public required IReadOnlyDictionary<ComponentId, ComponentConfig> Extensions { get; init; }

    public required IReadOnlyList<Pipeline> Pipelines { get; init; }

    public required IReadOnlyList<ComponentRef> ServiceExtensions { get; init; }

    public required IReadOnlyList<ConfigReference> References { get; init; }

    /// <summary>Maps nodes of <see cref="Root"/> to file positions (a v1alpha1 config is YAML inside a string).</summary>
    public required YamlReader Reader { get; init; }

    /// <summary>The file position of any node of this config.</summary>
    public SourceLocation LocationOf(YamlNode node) => Reader.At(node);

    /// <summary>Every configured component of every kind.</summary>
    public IEnumerable<ComponentConfig> AllComponents =>
        Receivers.Values.Concat(Processors.Values).Concat(Exporters.Values).Concat(Connectors.Values).Concat(Extensions.Values);

    /// <summary>Components that take part in at least one pipeline (upstream builds only those).</summary>
    public IEnumerable<ComponentConfig> UsedComponents
    {
        get
        {
            var used = new HashSet<(ComponentKind, ComponentId)>();
            foreach (var p in Pipelines)
            {
                foreach (var r in p.Receivers)
                {
                    used.Add((Connectors.ContainsKey(r.Id) ? ComponentKind.Connector : ComponentKind.Receiver, r.Id));
                }

                foreach (var r in p.Processors)
                {
                    used.Add((ComponentKind.Processor, r.Id));
                }

                foreach (var r in p.Exporters)
                {
                    used.Add((Connectors.ContainsKey(r.Id) ? ComponentKind.Connector : ComponentKind.Exporter, r.Id));
                }
            }

            foreach (var e in ServiceExtensions)
            {
                used.Add((ComponentKind.Extension, e.Id));
            }

            return AllComponents.Where(c => used.Contains((c.Kind, c.Id)));
        }
    }

    public IEnumerable<Pipeline> PipelinesOf(string signal) => Pipelines.Where(p => p.Signal == signal);

    /// <summary>Components of a kind whose type is <paramref name="type"/> (any name).</summary>
    public IEnumerable<ComponentConfig> OfType(ComponentKind kind, string type) =>
        ByKind(kind).Values.Where(c => c.Id.Type == type);

    public IReadOnlyDictionary<ComponentId, ComponentConfig> ByKind(ComponentKind kind) => kind switch
    {
        ComponentKind.Receiver => Receivers,
        ComponentKind.Processor => Processors,
        ComponentKind.Exporter => Exporters,
        ComponentKind.Connector => Connectors,
        _ => Extensions,
    };
}
