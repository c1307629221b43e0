using OtelLab.Model.Collector;
using OtelLab.Model.Crds;
using OtelLab.Model.Yaml;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OtelLab.Model.Manifests.Internal;

/// <summary>Reads an OpenTelemetryCollector CR, applying the webhook's defaults (operator.md §4).</summary>
internal static class CollectorReader
{
    public static OpenTelemetryCollector Read(YamlMappingNode map, YamlReader reader, string[] lines, string version, string name, string ns)
    {
        var spec = reader.Mapping(map, "spec", "spec")
            ?? throw new ManifestException(reader.At(map), $"OpenTelemetryCollector \"{name}\": spec is required", "add a spec with mode and config");
        var mode = reader.Enum(spec, "mode", "spec.mode", CollectorMode.All) ?? CollectorMode.Deployment;
        var config = ReadConfig(spec, reader, lines, version, name);
        var ta = TargetAllocatorReader.Read(reader.Mapping(spec, "targetAllocator", "spec.targetAllocator"), reader, "spec.targetAllocator", reader.At(map));

        return new OpenTelemetryCollector
        {
            Name = name,
            Namespace = ns,
            ApiVersion = $"opentelemetry.io/{version}",
            Mode = mode,
            Replicas = reader.Int(spec, "replicas", "spec.replicas") ?? 1,
            Image = reader.String(spec, "image", "spec.image"),
            ServiceAccount = reader.String(spec, "serviceAccount", "spec.serviceAccount"),
            Env = K8sFragment.ReadList<k8s.Models.V1EnvVar>(spec, "env", "spec.env", reader),
            EnvFrom = K8sFragment.ReadList<k8s.Models.V1EnvFromSource>(spec, "envFrom", "spec.envFrom", reader),
            Ports = ReadPorts(spec, reader),
            PodAnnotations = reader.StringMap(spec, "podAnnotations", "spec.podAnnotations"),
            HostNetwork = reader.Bool(spec, "hostNetwork", "spec.hostNetwork") ?? false,
            Config = config,
            TargetAllocator = ta,
        };
    }

    private static CollectorConfig ReadConfig(YamlMappingNode spec, YamlReader reader, string[] lines, string version, string name)
    {
        var node = YamlReader.Child(spec, "config");
        if (YamlReader.IsNull(node))
        {
            throw new ManifestException(reader.At(spec), $"OpenTelemetryCollector \"{name}\": spec.config is required",
                "add spec.config with receivers, exporters and service.pipelines");
        }

        if (version == "v1beta1")
        {
            return node is YamlMappingNode m
                ? CollectorConfigParser.Parse(m, reader)
                : throw reader.TypeError(node!, "spec.config", "a mapping (v1beta1); a string config is the v1alpha1 form");
        }

        // v1alpha1: config is a string holding YAML; map its positions back into the manifest.
        if (node is not YamlScalarNode { Value: { } text } scalar)
        {
            throw reader.TypeError(node!, "spec.config", "a string holding the collector YAML (v1alpha1)");
        }

        var lineOffset = (int)scalar.Start.Line;
        var contentLine = lineOffset < lines.Length ? lines[lineOffset] : string.Empty;
        var indent = contentLine.Length - contentLine.TrimStart(' ').Length;
        var inner = new YamlReader(reader.File, lineOffset, indent);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new ManifestException(
                new SourceLocation(reader.File, (int)e.Start.Line + lineOffset, (int)e.Start.Column + indent),
                $"spec.config: invalid YAML: {ManifestLoader.Clean(e.InnerException?.Message ?? e.Message)}",
                "check the indentation of the config block");
        }

        return stream.Documents.Count > 0 && stream.Documents[0].RootNode is YamlMappingNode root
            ? CollectorConfigParser.Parse(root, inner)
            : throw new ManifestException(reader.At(scalar), "spec.config: expected collector YAML (receivers, exporters, service)");
    }

    private static List<CollectorPort> ReadPorts(YamlMappingNode spec, YamlReader reader)
    {
        var seq = reader.Sequence(spec, "ports", "spec.ports");
        var ports = new List<CollectorPort>();
        if (seq is null)
        {
            return ports;
        }

        for (var i = 0; i < seq.Children.Count; i++)
        {
            var path = $"spec.ports[{i}]";
            var item = seq.Children[i] as YamlMappingNode ?? throw reader.TypeError(seq.Children[i], path, "a mapping");
            ports.Add(new CollectorPort(
                reader.String(item, "name", $"{path}.name"),
                reader.Int(item, "port", $"{path}.port") ?? throw new ManifestException(reader.At(item), $"{path}.port: Required value"),
                reader.Int(item, "hostPort", $"{path}.hostPort"),
                reader.String(item, "protocol", $"{path}.protocol") ?? "TCP"));
        }

        return ports;
    }
}
