using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OtelLab.Sim.Collector.Processors.TailSampling;

/// <summary>
/// Finds <c>tail_sampling</c> processors in a file that is either a raw collector config (top-level
/// <c>processors:</c>) or Kubernetes manifests holding OpenTelemetryCollector CRs — v1beta1 <c>spec.config</c> as a
/// mapping, v1alpha1 <c>spec.config</c> as a YAML string (either shape is accepted under either version) — or a bare
/// processors fragment whose top-level keys are <c>tail_sampling[/NAME]</c>, the shape of upstream's testdata.
/// </summary>
public static class TailSamplingDefinitions
{
    private const string ProcessorType = "tail_sampling";

    /// <summary>
    /// Parses <paramref name="yaml"/> and returns every tail_sampling processor in document order. Throws
    /// <see cref="TailSamplingConfigException"/> (with line and column) for broken YAML or a config the collector rejects.
    /// </summary>
    public static IReadOnlyList<TailSamplingDefinition> Parse(string yaml)
    {
        var found = new List<TailSamplingDefinition>();
        foreach (var document in LoadDocuments(yaml, lineOffset: 0))
        {
            if (document.RootNode is not YamlMappingNode root)
            {
                continue;
            }

            if (Scalar(root, "kind") == "OpenTelemetryCollector")
            {
                var metadata = Child(root, "metadata") as YamlMappingNode;
                var owner = $"OpenTelemetryCollector {Qualified(Scalar(metadata, "namespace"), Scalar(metadata, "name"))}";
                var spec = Child(root, "spec") as YamlMappingNode;
                int? replicas = int.TryParse(Scalar(spec, "replicas"), out var r) ? r : null;
                switch (Child(spec, "config"))
                {
                    case YamlMappingNode config:
                        Collect(config, owner, lineOffset: 0, found, replicas);
                        break;
                    case YamlScalarNode { Value: { } text } scalar:
                        // v1alpha1: the config is a string; lines inside it are counted from the line after `config: |`.
                        var offset = scalar.Style is ScalarStyle.Literal or ScalarStyle.Folded ? scalar.Start.Line : scalar.Start.Line - 1;
                        foreach (var inner in LoadDocuments(text, offset))
                        {
                            Collect(inner.RootNode as YamlMappingNode, owner, offset, found, replicas);
                        }

                        break;
                }
            }
            else if (Child(root, "processors") is not null)
            {
                Collect(root, "collector config", lineOffset: 0, found);
            }
            else if (root.Children.Keys.Any(k => k is YamlScalarNode { Value: { } id } && IsTailSampling(id)))
            {
                CollectProcessors(root, "processors fragment", lineOffset: 0, found, replicas: null);
            }
        }

        return found;
    }

    private static void Collect(YamlMappingNode? collectorConfig, string owner, long lineOffset, List<TailSamplingDefinition> found, int? replicas = null)
    {
        if (Child(collectorConfig, "processors") is YamlMappingNode processors)
        {
            CollectProcessors(processors, owner, lineOffset, found, replicas);
        }
    }

    private static bool IsTailSampling(string id) => id == ProcessorType || id.StartsWith(ProcessorType + "/", StringComparison.Ordinal);

    private static void CollectProcessors(YamlMappingNode processors, string owner, long lineOffset, List<TailSamplingDefinition> found, int? replicas)
    {
        foreach (var (key, value) in processors.Children)
        {
            var id = (key as YamlScalarNode)?.Value ?? string.Empty;
            if (!IsTailSampling(id))
            {
                continue;
            }

            var node = value as YamlMappingNode;
            if (node is null && value is not YamlScalarNode { Value: null or "" or "~" or "null" })
            {
                throw new TailSamplingConfigException($"'{id}' expected a map, got {value.NodeType}", id, value.Start.Line + lineOffset, value.Start.Column);
            }

            found.Add(new TailSamplingDefinition(owner, id, TailSamplingConfig.Parse(node, lineOffset), key.Start.Line + lineOffset, replicas));
        }
    }

    private static IList<YamlDocument> LoadDocuments(string yaml, long lineOffset)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            var reason = ex.InnerException?.Message ?? ex.Message;
            throw new TailSamplingConfigException($"not valid YAML: {reason}", string.Empty, ex.Start.Line + lineOffset, ex.Start.Column)
            {
                Fix = "fix the YAML syntax (indentation, quotes, a missing ':')",
            };
        }

        return stream.Documents;
    }

    private static YamlNode? Child(YamlMappingNode? map, string key) =>
        map is not null && map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static string? Scalar(YamlMappingNode? map, string key) => (Child(map, key) as YamlScalarNode)?.Value;

    private static string Qualified(string? ns, string? name) => string.IsNullOrEmpty(ns) ? name ?? "?" : $"{ns}/{name}";
}
