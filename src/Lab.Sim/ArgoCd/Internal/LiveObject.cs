using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace OtelLab.Sim.ArgoCd.Internal;

/// <summary>Any object or list as the API returns it (an unstructured object for <see cref="GenericClient"/>).</summary>
internal sealed class LiveObject : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = string.Empty;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = string.Empty;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    /// <summary>Everything else (spec, status, data, items …).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement> Rest { get; set; } = [];

    public JsonObject ToJson() => JsonNode.Parse(KubernetesJson.Serialize(this))!.AsObject();

    public static LiveObject From(JsonObject json) => KubernetesJson.Deserialize<LiveObject>(json.ToJsonString());
}
