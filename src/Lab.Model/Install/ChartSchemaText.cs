using System.Text.Json.Nodes;

namespace OtelLab.Model.Install;

/// <summary>
/// Prepares a chart's values.schema.json for JsonSchema.Net. Charts ship schemas with malformed annotations (the
/// operator chart's <c>"examples": ""</c> where the spec wants an array) that Helm's validators ignore, while
/// JsonSchema.Net refuses to build them. Annotations never decide validity (JSON Schema 2019-09 §9, meta-data
/// vocabulary), so dropping a scalar <c>examples</c> changes no outcome.
/// </summary>
internal static class ChartSchemaText
{
    public static string Prepare(string schema)
    {
        var root = JsonNode.Parse(schema) ?? throw new InvalidOperationException("values.schema.json is empty");
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
