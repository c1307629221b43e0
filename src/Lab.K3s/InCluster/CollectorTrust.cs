using System.Text;
using YamlDotNet.RepresentationModel;

namespace OtelLab.K3s.InCluster;

/// <summary>
/// Makes the collectors trust the run's CA, the one change a k3s run with in-cluster backends makes to the guide's
/// manifests: each OpenTelemetryCollector gets the <c>otel-lab-ca</c> ConfigMap mounted at
/// <see cref="InClusterBackendsManifests.CaMountPath"/> and <c>SSL_CERT_FILE</c> naming its file. The collector is a
/// Go binary, and Go's crypto/x509 on Linux reads its roots from the file <c>SSL_CERT_FILE</c> names instead of the
/// system bundle (go/src/crypto/x509/root_unix.go, certFileEnv), so every TLS exporter verifies the backends
/// against that CA, and nothing else: the vendors' real hosts cannot be reached by mistake. The operator copies
/// <c>spec.env</c>, <c>spec.volumes</c> and <c>spec.volumeMounts</c> onto the collector's pod
/// (opentelemetry-operator internal/manifests/collector/container.go and volume.go).
/// </summary>
public static class CollectorTrust
{
    public const string EnvName = "SSL_CERT_FILE";

    private const string VolumeName = "otel-lab-ca";

    /// <summary>The namespaces of the OpenTelemetryCollectors in a multi-document YAML text.</summary>
    public static IReadOnlyList<string> CollectorNamespaces(string yaml) =>
        Collectors(Load(yaml)).Select(c => ((c["metadata"] as YamlMappingNode)?.Children.TryGetValue(new YamlScalarNode("namespace"), out var ns) == true ? ns.ToString() : "default")).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>
    /// The YAML with every OpenTelemetryCollector patched (other documents as they were); null when it has none, so
    /// a file without collectors is copied as is. A collector that already sets <c>SSL_CERT_FILE</c> is refused: the
    /// lab would silently override the user's trust.
    /// </summary>
    public static string? Patch(string yaml, string file)
    {
        var stream = Load(yaml);
        var collectors = Collectors(stream).ToList();
        if (collectors.Count == 0)
        {
            return null;
        }

        foreach (var collector in collectors)
        {
            var spec = Child(collector, "spec");
            var env = List(spec, "env");
            if (env.Children.OfType<YamlMappingNode>().Any(e => e.Children.TryGetValue(new YamlScalarNode("name"), out var n) && n.ToString() == EnvName))
            {
                throw new ArgumentException($"{file}:{collector.Start.Line}: OpenTelemetryCollector already sets {EnvName}; the k3s run's in-cluster backends need it to name the run's CA ({InClusterBackendsManifests.CaFile}). Remove it from spec.env, or run with --cluster sim.");
            }

            env.Add(new YamlMappingNode(new YamlScalarNode("name"), new YamlScalarNode(EnvName), new YamlScalarNode("value"), new YamlScalarNode(InClusterBackendsManifests.CaFile)));
            List(spec, "volumes").Add(new YamlMappingNode(
                new YamlScalarNode("name"), new YamlScalarNode(VolumeName),
                new YamlScalarNode("configMap"), new YamlMappingNode(new YamlScalarNode("name"), new YamlScalarNode(InClusterBackendsManifests.CaConfigMapName))));
            List(spec, "volumeMounts").Add(new YamlMappingNode(
                new YamlScalarNode("name"), new YamlScalarNode(VolumeName),
                new YamlScalarNode("mountPath"), new YamlScalarNode(InClusterBackendsManifests.CaMountPath),
                new YamlScalarNode("readOnly"), new YamlScalarNode("true")));
        }

        var text = new StringBuilder();
        using (var writer = new StringWriter(text))
        {
            stream.Save(writer, assignAnchors: false);
        }

        return text.ToString();
    }

    private static YamlStream Load(string yaml)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(yaml);
        stream.Load(reader);
        return stream;
    }

    private static IEnumerable<YamlMappingNode> Collectors(YamlStream stream) =>
        stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>()
            .Where(m => m.Children.TryGetValue(new YamlScalarNode("kind"), out var kind) && kind.ToString() == "OpenTelemetryCollector");

    private static YamlMappingNode Child(YamlMappingNode node, string key)
    {
        if (node.Children.TryGetValue(new YamlScalarNode(key), out var child) && child is YamlMappingNode map)
        {
            return map;
        }

        var created = new YamlMappingNode();
        node.Children[new YamlScalarNode(key)] = created;
        return created;
    }

    private static YamlSequenceNode List(YamlMappingNode node, string key)
    {
        if (node.Children.TryGetValue(new YamlScalarNode(key), out var child) && child is YamlSequenceNode list)
        {
            return list;
        }

        var created = new YamlSequenceNode();
        node.Children[new YamlScalarNode(key)] = created;
        return created;
    }
}
