using System.Text.Json.Nodes;

namespace OtelLab.Model.Install;

/// <summary>
/// Prepares a chart's values.schema.json for JsonSchema.Net. Charts ship schemas with malformed annotations (the
/// operator chart's <c>"examples": ""</c> where the spec wants an array) that Helm's validators ignore, while
/// JsonSchema.Net refuses to build them. Annotations never decide validity (JSON Schema 2019-09 §9, meta-data
/// vocabulary), so dropping a scalar <c>examples</c> changes no outcome. Vault's chart names the unversioned
/// meta-schema <c>http://json-schema.org/schema#</c>, which gojsonschema maps to no draft and validates in its hybrid
/// mode (gojsonschema draft.go parseSchemaURL / getDraftVersion returning nil); JsonSchema.Net refuses an unknown
/// dialect, so such a <c>$schema</c> is dropped and the schema evaluated with the validator's default dialect (the
/// keywords such schemas use, type and properties, mean the same in every draft).
/// </summary>
internal static class ChartSchemaText
{
    private static readonly HashSet<string> KnownDialects =
    [
        "http://json-schema.org/draft-06/schema", "http://json-schema.org/draft-07/schema",
        "https://json-schema.org/draft/2019-09/schema", "https://json-schema.org/draft/2020-12/schema",
    ];

    public static string Prepare(string schema)
    {
        var root = JsonNode.Parse(schema) ?? throw new InvalidOperationException("values.schema.json is empty");
        if (root is JsonObject o && o["$schema"] is JsonValue dialect && !KnownDialects.Contains(dialect.ToString().TrimEnd('#')))
        {
            o.Remove("$schema");
        }

        Strip(root);
        return root.ToJsonString();
    }

    private static void Strip(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                if (o["examples"] is JsonValue)
                {
                    o.Remove("examples");
                }

                foreach (var (_, child) in o)
                {
                    Strip(child);
                }

                break;
            case JsonArray a:
                foreach (var child in a)
                {
                    Strip(child);
                }

                break;
        }
    }
}
