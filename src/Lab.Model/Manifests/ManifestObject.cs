using System.Diagnostics;
using OtelLab.Model.Yaml;
using YamlDotNet.RepresentationModel;

namespace OtelLab.Model.Manifests;

/// <summary>
/// One object from a manifest file, as <c>kubectl apply</c> would submit it: identity, source position, the raw
/// YAML tree (for positions of any field) and, for known kinds, a typed model (<see cref="Typed"/>).
/// </summary>
[DebuggerDisplay("{Display,nq} @ {Location}")]
public sealed class ManifestObject
{
    public required string ApiVersion { get; init; }

    public required string Kind { get; init; }

    public required string Name { get; init; }

    /// <summary>The namespace, defaulted like kubectl for namespaced kinds; null for cluster-scoped kinds.</summary>
    public string? Namespace { get; init; }

    public required SourceLocation Location { get; init; }

    public required YamlMappingNode Root { get; init; }

    /// <summary>The KubernetesClient model (<c>V1Deployment</c>, …), a CR model (<c>OpenTelemetryCollector</c>, …) or null for kinds the lab does not model.</summary>
    public object? Typed { get; init; }

    /// <summary>The API group (<c>""</c> for core).</summary>
    public string Group => ApiVersion.Contains('/', StringComparison.Ordinal) ? ApiVersion[..ApiVersion.IndexOf('/', StringComparison.Ordinal)] : string.Empty;

    public string Display => Namespace is null ? $"{Kind}/{Name}" : $"{Kind} {Namespace}/{Name}";

    public T As<T>()
        where T : class =>
        Typed as T ?? throw new InvalidOperationException($"{Display} is not a {typeof(T).Name}");

    /// <summary>The node at a path of mapping keys, or null.</summary>
    public YamlNode? Find(params string[] path)
    {
        YamlNode? node = Root;
        foreach (var key in path)
        {
            node = YamlReader.Child(node as YamlMappingNode, key);
            if (node is null)
            {
                return null;
            }
        }

        return node;
    }

    /// <summary>
    /// The position of the deepest existing key along <paramref name="path"/> (the key's own line, which is what a
    /// reader looks for), or the object's position.
    /// </summary>
    public SourceLocation LocationOf(params string[] path)
    {
        var reader = new YamlReader(Location.File);
        YamlMappingNode? node = Root;
        var best = Location;
        foreach (var key in path)
        {
            var keyNode = YamlReader.KeyNode(node, key);
            if (keyNode is null)
            {
                break;
            }

            best = reader.At(keyNode);
            node = YamlReader.Child(node, key) as YamlMappingNode;
        }

        return best;
    }
}
