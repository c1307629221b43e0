using System.Text.Json.Nodes;
using k8s;
using OtelLab.Sim.Cluster;
using OtelLab.Sim.Cluster.Internal;

namespace OtelLab.Sim.ApiServer.Internal;

/// <summary>An object of the store as the API server returns it: KubernetesClient's serializer for built-in kinds, the CR rendering for custom ones.</summary>
internal static class ObjectJson
{
    public static JsonObject Render(StoredObject o, SimulatedCluster cluster) =>
        o.Kind.IsCustom
            ? CustomResourceJson.Render(o.Kind, o.Metadata, o.Value, cluster.DocumentOf(o.Value))
            : (JsonObject)JsonNode.Parse(KubernetesJson.Serialize(o.Value))!;
}
