using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using OtelLab.Sim.ApiServer.Internal.Admission;
using OtelLab.Sim.ApiServer.Internal.Conversion;
using OtelLab.Sim.Cluster;

namespace OtelLab.Sim.ApiServer.Internal;

/// <summary>
/// Requests to a version served beside the storage version (OpenTelemetryCollector v1alpha1): bodies are admitted
/// against that version's schema and converted to the storage version; every object written back is converted to the
/// version asked for. upstream: apiextensions-apiserver pkg/apiserver/customresource_handler.go (validation in the
/// request's version, then conversion to storage) and the operator's conversion webhook.
/// </summary>
internal sealed partial class ResourceHandlers
{
    private const string ServedVersionKey = "otel-lab.served-version";
    private const string ServedSchemaKey = "otel-lab.served-schema";

    /// <summary>Marks the request as addressing <paramref name="served"/>, a version converted to and from storage.</summary>
    private void ServeVersion(HttpContext context, ResourceKind served)
    {
        context.Items[ServedVersionKey] = served;
        context.Items[ServedSchemaKey] = CustomResourceAdmission.SchemaFor(cluster, served);
    }

    private static ResourceKind? ServedVersion(HttpContext context) => context.Items.TryGetValue(ServedVersionKey, out var k) ? k as ResourceKind : null;

    /// <summary>
    /// An object in the served version: converted, then pruned by that version's schema (fields only v1beta1 has, such
    /// as its defaulted <c>configVersions</c>, do not exist in v1alpha1). upstream: the typed conversion drops them, and
    /// apiextensions-apiserver prunes a conversion's output by the version's structural schema.
    /// </summary>
    private static JsonObject Down(HttpContext context, JsonObject o, ResourceKind served)
    {
        var converted = CollectorV1Alpha1.ToV1Alpha1(o, served.ApiVersion);
        (context.Items[ServedSchemaKey] as StructuralSchema)?.Prune(converted);
        return converted;
    }

    /// <summary>An object, list, Table or watch event object in the version the request addressed.</summary>
    private static JsonNode AsServed(HttpContext context, JsonNode body)
    {
        if (ServedVersion(context) is not { } served || body is not JsonObject o)
        {
            return body;
        }

        var kind = (string?)o["kind"];
        if (kind == served.Kind && (string?)o["apiVersion"] != served.ApiVersion)
        {
            return Down(context, o, served);
        }

        if (kind == served.Kind + "List" && o["items"] is JsonArray items)
        {
            var list = (JsonObject)o.DeepClone();
            list["apiVersion"] = served.ApiVersion;
            list["items"] = new JsonArray([.. items.Select(i => (JsonNode?)(i is JsonObject item ? Down(context, item, served) : i?.DeepClone()))]);
            return list;
        }

        if (kind == "Table" && o["rows"] is JsonArray rows && rows.Any(r => (string?)r?["object"]?["kind"] == served.Kind))
        {
            // includeObject=Object rows carry the whole object; Metadata rows (PartialObjectMetadata) have no version to convert.
            var table = (JsonObject)o.DeepClone();
            foreach (var row in table["rows"]!.AsArray().OfType<JsonObject>().Where(r => (string?)r["object"]?["kind"] == served.Kind))
            {
                row["object"] = Down(context, (JsonObject)row["object"]!, served);
            }

            return table;
        }

        return body;
    }

    /// <summary>A whole object sent in the served version, admitted against that version's schema, as the storage version.</summary>
    private JsonObject ToStorage(HttpContext context, ResourceKind storage, JsonObject body)
    {
        if (ServedVersion(context) is not { } served || (string?)body["apiVersion"] != served.ApiVersion)
        {
            return body;
        }

        foreach (var warning in CustomResourceAdmission.Admit(cluster, served, body, context.Request.Query["fieldValidation"]))
        {
            AddWarning(context, warning);
        }

        return CollectorV1Alpha1.ToV1Beta1(body, storage.ApiVersion);
    }
}
