using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace OtelLab.Model.Install;

/// <summary>
/// Validates a release's coalesced values against its chart's values.schema.json, as <c>helm install</c> does before
/// rendering (helm pkg/chartutil/jsonschema.go ValidateAgainstSchema). The validator is JsonSchema.Net; its results
/// are worded as Helm 3.16/3.17 prints them (Helm validated with xeipuuv/gojsonschema then; its locale.go texts, e.g.
/// <c>Additional property {{.property}} is not allowed</c>, after <c>- {{field}}: </c>). Helm 3.18 moved to
/// santhosh-tekuri/jsonschema and words the same refusal <c>at '': additional properties 'x' not allowed</c>.
/// </summary>
public static class ValuesSchemaValidator
{
    public static IReadOnlyList<ValuesSchemaError> Validate(JsonSchema schema, JsonObject values)
    {
        using var document = JsonDocument.Parse(values.ToJsonString());
        var results = schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.Hierarchical });
        var errors = new List<ValuesSchemaError>();
        Collect(results, document.RootElement, errors);
        return errors;
    }

    // Only failing nodes explain a failure: a passing oneOf's failed branch (pdb.minAvailable: string|null or
    // integer|null) is not an error, so a valid node's subtree is skipped.
    private static void Collect(EvaluationResults node, JsonElement root, List<ValuesSchemaError> errors)
    {
        if (node.IsValid)
        {
            return;
        }

        var path = Segments(node.InstanceLocation.ToString());
        var schemaPath = node.EvaluationPath.ToString();
        foreach (var (keyword, message) in node.Errors ?? new Dictionary<string, string>())
        {
            if (keyword == "required")
            {
                // gojsonschema words each missing property on its own: "{{.property}} is required"
                foreach (var name in message.Split('"').Where((_, i) => i % 2 == 1))
                {
                    errors.Add(new ValuesSchemaError(path, $"{name} is required") { Key = [.. path, name] });
                }

                continue;
            }

            if (Word(schemaPath, keyword, path, message, root) is { } error && !errors.Contains(error))
            {
                errors.Add(error);
            }
        }

        foreach (var child in node.Details ?? [])
        {
            Collect(child, root, errors);
        }
    }

    /// <summary>The Helm ≥ 3.18 wording of the same refusal (santhosh-tekuri/jsonschema), for the evidence.</summary>
    public static string Helm318Wording(ValuesSchemaError error) =>
        error.Message.StartsWith("Additional property ", StringComparison.Ordinal)
            ? $"at '{(error.Path.Count == 0 ? "" : "/" + string.Join('/', error.Path))}': additional properties '{error.Message["Additional property ".Length..^" is not allowed".Length]}' not allowed"
            : $"at '/{string.Join('/', error.Path)}': {error.Message}";

    private static ValuesSchemaError? Word(string schemaPath, string keyword, IReadOnlyList<string> path, string message, JsonElement root)
    {
        // additionalProperties: false fails the property's own node against the false schema; gojsonschema reports it
        // at the parent: "Additional property <name> is not allowed".
        if (schemaPath.EndsWith("/additionalProperties", StringComparison.Ordinal) && path.Count > 0)
        {
            return new ValuesSchemaError(path.Take(path.Count - 1).ToList(), $"Additional property {path[^1]} is not allowed") { Key = path };
        }

        if (keyword == "additionalProperties")
        {
            return null; // the per-property results above carry the names
        }

        return keyword switch
        {
            "type" => new ValuesSchemaError(path, $"Invalid type. Expected: {Expected(message)}, given: {Given(root, path)}"),
            "oneOf" => new ValuesSchemaError(path, "Must validate one and only one schema (oneOf)"),
            _ => new ValuesSchemaError(path, message),
        };
    }

    // JsonSchema.Net words it 'Value is "string" but should be "boolean"': the last quoted word is the expected type.
    private static string Expected(string message)
    {
        var quoted = message.Split('"');
        return quoted.Length >= 3 ? quoted[^2] : message;
    }

    // gojsonschema's given types: null, boolean, integer, number, string, array, object.
    private static string Given(JsonElement root, IReadOnlyList<string> path)
    {
        var node = root;
        foreach (var key in path)
        {
            if (node.ValueKind == JsonValueKind.Object && node.TryGetProperty(key, out var child))
            {
                node = child;
            }
            else if (node.ValueKind == JsonValueKind.Array && int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < node.GetArrayLength())
            {
                node = node[i];
            }
        }

        return node.ValueKind switch
        {
            JsonValueKind.Null => "null",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            JsonValueKind.Number => node.TryGetInt64(out _) ? "integer" : "number",
            JsonValueKind.String => "string",
            JsonValueKind.Array => "array",
            _ => "object",
        };
    }

    private static List<string> Segments(string pointer) =>
        pointer.Length <= 1
            ? []
            : pointer[1..].Split('/').Select(s => s.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToList();
}
