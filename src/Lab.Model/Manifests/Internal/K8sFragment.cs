using k8s;
using OtelLab.Model.Yaml;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OtelLab.Model.Manifests.Internal;

/// <summary>Reads a Kubernetes-typed fragment inside a CR (env, envFrom) with KubernetesClient's model types.</summary>
internal static class K8sFragment
{
    public static List<T> ReadList<T>(YamlMappingNode? parent, string key, string path, YamlReader reader)
    {
        var seq = reader.Sequence(parent, key, path);
        return seq is null ? [] : Deserialize<List<T>>(seq, $"a list of {typeof(T).Name[2..]}", path, reader) ?? [];
    }

    /// <summary>Reads a mapping (e.g. <c>resources</c>) as one KubernetesClient model object, or null when absent.</summary>
    public static T? Read<T>(YamlMappingNode? parent, string key, string path, YamlReader reader)
        where T : class
    {
        var map = reader.Mapping(parent, key, path);
        return map is null ? null : Deserialize<T>(map, $"a {typeof(T).Name[2..]}", path, reader);
    }

    private static T? Deserialize<T>(YamlNode node, string what, string path, YamlReader reader)
    {
        using var writer = new StringWriter();
        new YamlStream(new YamlDocument(node)).Save(writer, assignAnchors: false);
        try
        {
            return KubernetesYaml.Deserialize<T>(writer.ToString(), strict: true);
        }
        catch (YamlException e)
        {
            throw new ManifestException(reader.At(node),
                $"{path}: cannot read as {what}: {ManifestLoader.Clean(e.Message)}",
                "check field names and types against the Kubernetes API reference");
        }
    }
}
