using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OtelLab.Sim.Cluster;

namespace OtelLab.Sim.ApiServer.Internal;

/// <summary>
/// <c>/openapi/v2</c>: a Swagger 2.0 document whose definitions are the installed CRDs' schemas, named and tagged as
/// the API server publishes them (<c>io.opentelemetry.v1beta1.OpenTelemetryCollector</c> with
/// <c>x-kubernetes-group-version-kind</c>), which kubectl 1.27's <c>explain</c> reads (kubectl pkg/util/openapi
/// NewOpenAPIData maps each definition's GVK extension to its model). Served as gnostic protobuf
/// (<c>openapiv2/OpenAPIv2.proto</c>), which kubectl asks for first, or as JSON.
/// </summary>
/// <remarks>
/// Each schema is converted as apiextensions-apiserver pkg/controller/openapi/v2/conversion.go ToStructuralOpenAPIV2
/// does for v2 publishing, for the parts kube-openapi's proto parser reads: type, format, description, required,
/// properties, items, additionalProperties; <c>nullable</c>, the <c>oneOf</c>/<c>anyOf</c>/<c>allOf</c>/<c>not</c>
/// junctors and enums are dropped, an int-or-string loses its type (it is arbitrary in v2), and an array without items
/// gets an empty item schema (the parser wants exactly one). Built-in kinds have no definitions: 1.27's explain works
/// for the CRDs only.
/// </remarks>
internal sealed class OpenApiV2Document
{
    public const string ProtobufContentType = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

    private readonly JsonObject _definitions = [];

    public OpenApiV2Document(IReadOnlyList<ServedResource> resources, Func<ResourceKind, JsonObject?> schemaOf)
    {
        ArgumentNullException.ThrowIfNull(resources);
        ArgumentNullException.ThrowIfNull(schemaOf);
        foreach (var r in resources.Where(r => r.Kind.IsCustom))
        {
            if (schemaOf(r.Kind) is not { } schema)
            {
                continue;
            }

            var v2 = Convert(schema);
            v2["x-kubernetes-group-version-kind"] = new JsonArray(new JsonObject { ["group"] = r.Kind.Group, ["kind"] = r.Kind.Kind, ["version"] = r.Kind.Version });
            _definitions[$"{string.Join('.', r.Kind.Group.Split('.').Reverse())}.{r.Kind.Version}.{r.Kind.Kind}"] = v2;
        }

        var json = new JsonObject
        {
            ["swagger"] = "2.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.32.0" },
            ["paths"] = new JsonObject(),
            ["definitions"] = _definitions.DeepClone(),
        };
        Json = json.ToJsonString();
        Protobuf = Encode();
    }

    public string Json { get; }

    public byte[] Protobuf { get; }

    /// <summary>Protobuf when the client accepts it (kubectl's first ask), else JSON (the API server's default).</summary>
    public static bool WantsProtobuf(string accept) =>
        accept.Contains("application/com.github.proto-openapi.spec.v2", StringComparison.OrdinalIgnoreCase);

    private static JsonObject Convert(JsonObject schema)
    {
        var v2 = new JsonObject();
        var intOrString = schema["x-kubernetes-int-or-string"] is JsonValue b && b.GetValueKind() == JsonValueKind.True;
        foreach (var key in new[] { "type", "format", "description" })
        {
            if (schema[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String && !(key == "type" && intOrString))
            {
                v2[key] = (string)v!;
            }
        }

        if (schema["required"] is JsonArray required && required.Count > 0)
        {
            v2["required"] = required.DeepClone();
        }

        if (schema["properties"] is JsonObject properties)
        {
            v2["properties"] = new JsonObject(properties.Where(p => p.Value is JsonObject).Select(p => KeyValuePair.Create(p.Key, (JsonNode?)Convert((JsonObject)p.Value!))));
        }

        if ((string?)v2["type"] == "array")
        {
            v2["items"] = schema["items"] is JsonObject items ? Convert(items) : new JsonObject();
        }

        if (schema["additionalProperties"] is JsonObject additional)
        {
            v2["additionalProperties"] = Convert(additional);
        }

        return v2;
    }

    private byte[] Encode()
    {
        var definitions = new ProtobufWriter();
        foreach (var (name, schema) in _definitions)
        {
            definitions.Message(1, new ProtobufWriter().String(1, name).Message(2, Schema((JsonObject)schema!)));
        }

        // Document: swagger 1, info 2 (title 1, version 2), paths 8, definitions 9.
        return new ProtobufWriter()
            .String(1, "2.0")
            .Message(2, new ProtobufWriter().String(1, "Kubernetes").String(2, "v1.32.0"))
            .Message(8, new ProtobufWriter())
            .Message(9, definitions)
            .ToArray();
    }

    // Schema: format 2, description 4, required 19, additional_properties 21 (schema 1), type 22 (TypeItem value 1),
    // items 23 (ItemsItem schema 1), properties 25 (Properties: NamedSchema 1 {name 1, value 2}), vendor_extension 31
    // (NamedAny {name 1, value 2: Any {yaml 2}}).
    private static ProtobufWriter Schema(JsonObject schema)
    {
        var w = new ProtobufWriter()
            .String(2, (string?)schema["format"])
            .String(4, (string?)schema["description"]);
        foreach (var r in (schema["required"] as JsonArray ?? []).Select(r => (string?)r))
        {
            w.String(19, r);
        }

        if (schema["additionalProperties"] is JsonObject additional)
        {
            w.Message(21, new ProtobufWriter().Message(1, Schema(additional)));
        }

        if ((string?)schema["type"] is { } type)
        {
            w.Message(22, new ProtobufWriter().String(1, type));
        }

        if (schema["items"] is JsonObject items)
        {
            w.Message(23, new ProtobufWriter().Message(1, Schema(items)));
        }

        if (schema["properties"] is JsonObject properties)
        {
            var named = new ProtobufWriter();
            foreach (var (name, property) in properties)
            {
                named.Message(1, new ProtobufWriter().String(1, name).Message(2, Schema((JsonObject)property!)));
            }

            w.Message(25, named);
        }

        if (schema["x-kubernetes-group-version-kind"] is JsonArray gvks)
        {
            var yaml = new StringBuilder();
            foreach (var gvk in gvks.OfType<JsonObject>())
            {
                yaml.Append($"- group: \"{gvk["group"]}\"\n  kind: \"{gvk["kind"]}\"\n  version: \"{gvk["version"]}\"\n");
            }

            w.Message(31, new ProtobufWriter().String(1, "x-kubernetes-group-version-kind").Message(2, new ProtobufWriter().String(2, yaml.ToString())));
        }

        return w;
    }
}
