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
        if (seq is null)
        {
            return [];
        }

        using var writer = new StringWriter();
        new YamlStream(new YamlDocument(seq)).Save(writer, assignAnchors: false);
        try
        {
            return KubernetesYaml.Deserialize<List<T>>(writer.ToString(), strict: true) ?? [];
        }
        catch (YamlException e)
        {
            throw new ManifestException(reader.At(seq),
                $"{path}: cannot read as a list of {typeof(T).Name[2..]}: {ManifestLoader.Clean(e.Message)}",
                "check field names and types against the Kubernetes API reference");
        }
    }
}
