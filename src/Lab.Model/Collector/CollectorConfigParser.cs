using System.Text.RegularExpressions;
using OtelLab.Model.Yaml;
using YamlDotNet.RepresentationModel;

namespace OtelLab.Model.Collector;

/// <summary>
/// Reads a collector configuration into <see cref="CollectorConfig"/> and validates what upstream's
/// <c>otelcol/config.go</c> validates before any component starts (pipelines reference configured components).
/// </summary>
public static partial class CollectorConfigParser
{
    private static readonly string[] KnownSignals = ["traces", "metrics", "logs", "profiles"];

    // upstream: confmap expand — ${env:VAR}, ${env:VAR:-default}, bare ${VAR} (env is the default scheme), ${file:/p}.
    [GeneratedRegex(@"\$\{(?:(?<scheme>[a-zA-Z][a-zA-Z0-9+.\-]*):)?(?<value>[^}]*?)(?::-(?<default>[^}]*))?\}")]
    private static partial Regex ReferencePattern();

    public static CollectorConfig Parse(YamlMappingNode root, YamlReader reader)
    {
        var receivers = Components(root, "receivers", ComponentKind.Receiver, reader);
        var processors = Components(root, "processors", ComponentKind.Processor, reader);
        var exporters = Components(root, "exporters", ComponentKind.Exporter, reader);
        var connectors = Components(root, "connectors", ComponentKind.Connector, reader);
        var extensions = Components(root, "extensions", ComponentKind.Extension, reader);

        var service = reader.Mapping(root, "service", "service");
        var pipelines = new List<Pipeline>();
        var pipelinesNode = reader.Mapping(service, "pipelines", "service.pipelines");
        if (pipelinesNode is not null)
        {
            foreach (var (key, value) in pipelinesNode.Children)
            {
                var keyText = ((YamlScalarNode)key).Value ?? string.Empty;
                if (!ComponentId.TryParse(keyText, out var id, out var error))
                {
                    throw new ManifestException(reader.At(key), $"service::pipelines: {error}");
                }

                if (!KnownSignals.Contains(id.Type))
                {
                    throw new ManifestException(
                        reader.At(key),
                        $"service::pipelines::{keyText}: unknown signal \"{id.Type}\"",
                        "a pipeline id is traces, metrics or logs, optionally followed by /name");
                }

                var path = $"service.pipelines.{keyText}";
                var body = value as YamlMappingNode
                    ?? throw reader.TypeError(value, path, "a mapping with receivers, processors and exporters");
                pipelines.Add(new Pipeline(
                    id,
                    Refs(body, "receivers", path, reader),
                    Refs(body, "processors", path, reader),
                    Refs(body, "exporters", path, reader),
                    reader.At(key)));
            }
        }

        var serviceExtensions = Refs(service, "extensions", "service", reader);
        var config = new CollectorConfig
        {
            Root = root,
            Location = reader.At(root),
            Receivers = receivers,
            Processors = processors,
            Exporters = exporters,
            Connectors = connectors,
            Extensions = extensions,
            Pipelines = pipelines,
            ServiceExtensions = serviceExtensions,
            References = FindReferences(root, reader),
            Reader = reader,
        };
        Validate(config);
        return config;
    }

    private static Dictionary<ComponentId, ComponentConfig> Components(
        YamlMappingNode root, string section, ComponentKind kind, YamlReader reader)
    {
        var result = new Dictionary<ComponentId, ComponentConfig>();
        var node = reader.Mapping(root, section, section);
        if (node is null)
        {
            return result;
        }

        foreach (var (key, value) in node.Children)
        {
            var keyText = ((YamlScalarNode)key).Value ?? string.Empty;
            if (!ComponentId.TryParse(keyText, out var id, out var error))
            {
                throw new ManifestException(reader.At(key), $"{section}: {error}");
            }

            if (!YamlReader.IsNull(value) && value is not YamlMappingNode)
            {
                throw reader.TypeError(value, $"{section}.{keyText}", "a mapping of settings");
            }

            result[id] = new ComponentConfig(id, kind, value as YamlMappingNode, reader.At(key));
        }

        return result;
    }

    private static List<ComponentRef> Refs(YamlMappingNode? parent, string key, string path, YamlReader reader)
    {
        var seq = reader.Sequence(parent, key, $"{path}.{key}");
        var refs = new List<ComponentRef>();
        if (seq is null)
        {
            return refs;
        }

        foreach (var item in seq.Children)
        {
            if (item is not YamlScalarNode { Value: { } text })
            {
                throw reader.TypeError(item, $"{path}.{key}[]", "a component id");
            }

            if (!ComponentId.TryParse(text, out var id, out var error))
            {
                throw new ManifestException(reader.At(item), $"{path}.{key}: {error}");
            }

            refs.Add(new ComponentRef(id, reader.At(item)));
        }

        return refs;
    }

    // upstream: otelcol/config.go (Config.Validate) — the messages below are upstream's.
    private static void Validate(CollectorConfig config)
    {
        foreach (var ext in config.ServiceExtensions)
        {
            if (!config.Extensions.ContainsKey(ext.Id))
            {
                throw new ManifestException(
                    ext.Location,
                    $"service::extensions: references extension \"{ext.Id}\" which is not configured",
                    $"add \"{ext.Id}\" under extensions: or remove it from service.extensions");
            }
        }

        foreach (var pipeline in config.Pipelines)
        {
            var prefix = $"service::pipelines::{pipeline.Id}";
            if (pipeline.Receivers.Count == 0)
            {
                throw new ManifestException(pipeline.Location, $"{prefix}: must have at least one receiver");
            }

            if (pipeline.Exporters.Count == 0)
            {
                throw new ManifestException(pipeline.Location, $"{prefix}: must have at least one exporter");
            }

            Check(pipeline.Receivers, "receiver", id => config.Receivers.ContainsKey(id) || config.Connectors.ContainsKey(id), "receivers");
            Check(pipeline.Processors, "processor", config.Processors.ContainsKey, "processors");
            Check(pipeline.Exporters, "exporter", id => config.Exporters.ContainsKey(id) || config.Connectors.ContainsKey(id), "exporters");

            void Check(IReadOnlyList<ComponentRef> refs, string what, Func<ComponentId, bool> exists, string section)
            {
                foreach (var r in refs)
                {
                    if (!exists(r.Id))
                    {
                        throw new ManifestException(
                            r.Location,
                            $"{prefix}: references {what} \"{r.Id}\" which is not configured",
                            $"define \"{r.Id}\" under {section}: or remove it from the pipeline");
                    }
                }
            }
        }
    }

    private static List<ConfigReference> FindReferences(YamlNode root, YamlReader reader)
    {
        var found = new List<ConfigReference>();
        Walk(root, string.Empty);
        return found;

        void Walk(YamlNode node, string path)
        {
            switch (node)
            {
                case YamlMappingNode map:
                    foreach (var (k, v) in map.Children)
                    {
                        var key = (k as YamlScalarNode)?.Value ?? "?";
                        Walk(v, path.Length == 0 ? key : $"{path}.{key}");
                    }

                    break;
                case YamlSequenceNode seq:
                    for (var i = 0; i < seq.Children.Count; i++)
                    {
                        Walk(seq.Children[i], $"{path}[{i}]");
                    }

                    break;
                case YamlScalarNode { Value: { } text } when text.Contains("${", StringComparison.Ordinal):
                    foreach (Match m in ReferencePattern().Matches(text))
                    {
                        var scheme = m.Groups["scheme"].Success ? m.Groups["scheme"].Value : "env";
                        var def = m.Groups["default"].Success ? m.Groups["default"].Value : null;
                        found.Add(new ConfigReference(scheme, m.Groups["value"].Value, def, path, reader.At(node)));
                    }

                    break;
            }
        }
    }
}
