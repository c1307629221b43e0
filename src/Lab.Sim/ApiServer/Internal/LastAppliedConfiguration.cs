using System.Text.Json.Nodes;
using k8s.Models;

namespace OtelLab.Sim.ApiServer.Internal;

/// <summary>
/// The <c>kubectl.kubernetes.io/last-applied-configuration</c> annotation client-side apply keeps: the manifest as
/// compact JSON with keys sorted (Go's encoding of a map), <c>metadata.annotations</c> present without this annotation,
/// and a trailing newline (kubectl pkg/util/apply.go GetModifiedConfiguration). With it in place, a later
/// <c>kubectl apply</c> of the same file computes an empty patch and prints <c>unchanged</c>.
/// </summary>
internal static class LastAppliedConfiguration
{
    public const string Annotation = "kubectl.kubernetes.io/last-applied-configuration";

    /// <summary>Sets the annotation on <paramref name="meta"/> from the manifest <paramref name="document"/>, and on the document itself.</summary>
    public static void Annotate(V1ObjectMeta meta, JsonObject document)
    {
        var copy = (JsonObject)document.DeepClone();
        var metadata = copy["metadata"] as JsonObject ?? new JsonObject();
        copy["metadata"] = metadata;
        var annotations = metadata["annotations"] as JsonObject ?? new JsonObject();
        annotations.Remove(Annotation);
        metadata["annotations"] = annotations;
        var text = GoJson.Serialize(Sorted(copy)!) + "\n";
        meta.Annotations ??= new Dictionary<string, string>();
        meta.Annotations[Annotation] = text;
        var docMeta = document["metadata"] as JsonObject ?? new JsonObject();
        document["metadata"] = docMeta;
        var docAnnotations = docMeta["annotations"] as JsonObject ?? new JsonObject();
        docAnnotations[Annotation] = text;
        docMeta["annotations"] = docAnnotations;
    }

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => KeyValuePair.Create(kv.Key, Sorted(kv.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Sorted)]),
        _ => node?.DeepClone(),
    };
}
