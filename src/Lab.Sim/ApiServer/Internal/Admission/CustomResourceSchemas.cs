using System.Text.Json.Nodes;
using k8s;
using OtelLab.Sim.Cluster;

namespace OtelLab.Sim.ApiServer.Internal.Admission;

/// <summary>The <c>openAPIV3Schema</c> of an installed CRD's version as JSON, for the OpenAPI v3 documents.</summary>
internal static class CustomResourceSchemas
{
    public static JsonObject? For(SimulatedCluster cluster, ResourceKind kind)
    {
        if (!kind.IsCustom)
        {
            return null;
        }

        var crd = cluster.Options.CustomResourceDefinitions.FirstOrDefault(c => c.Spec.Group == kind.Group && c.Spec.Names.Plural == kind.Resource);
        var props = crd?.Spec.Versions.FirstOrDefault(v => v.Name == kind.Version)?.Schema?.OpenAPIV3Schema;
        return props is null ? null : (JsonObject)JsonNode.Parse(KubernetesJson.Serialize(props))!;
    }
}
