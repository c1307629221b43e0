using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace OtelLab.Sim.ApiServer.Internal.Admission;

/// <summary>
/// A CRD version's <c>openAPIV3Schema</c> applied to a custom resource the way the API server applies it: pruning of
/// unknown fields, defaulting, then validation.
/// upstream: apiextensions-apiserver pkg/apiserver/schema/pruning/algorithm.go (prune), pkg/apiserver/schema/defaulting
/// (default, PruneNonNullableNullsWithoutDefaults), pkg/apiserver/validation/validation.go with kube-openapi
/// pkg/validation/validate (type, enum, required, pattern, minimum/maximum; paths <c>spec.a[0].b</c>).
/// </summary>
/// <remarks>
/// Not checked: <c>format</c> (int32, int64, date-time, duration), CEL rules (the operator's CRDs have none),
/// <c>metadata</c> beyond what the store needs.
/// </remarks>
internal sealed class StructuralSchema(JsonObject root)
{
    private static readonly ConcurrentDictionary<string, Regex> Patterns = new(StringComparer.Ordinal);

    /// <summary>Removes fields the schema does not know and returns their paths, sorted (customresource_handler.go sorts them).</summary>
    public IReadOnlyList<string> Prune(JsonObject document)
    {
        var pruned = new List<string>();
        PruneObject(document, root, string.Empty, isRoot: true, pruned);
        pruned.Sort(StringComparer.Ordinal);
        return pruned;
    }

    /// <summary>Applies <c>default</c> values where a field is absent, and drops nulls the schema does not allow.</summary>
    public void Default(JsonObject document) => DefaultNode(document, root);

    public IReadOnlyList<FieldError> Validate(JsonObject document)
    {
        var errors = new List<FieldError>();
        ValidateNode(document, root, string.Empty, errors);
        return errors;
    }

    private static void PruneNode(JsonNode? node, JsonObject schema, string path, List<string> pruned)
    {
        switch (node)
        {
            case JsonObject o:
                PruneObject(o, schema, path, isRoot: false, pruned);
                break;
            case JsonArray a when schema["items"] is JsonObject items:
                for (var i = 0; i < a.Count; i++)
                {
                    PruneNode(a[i], items, $"{path}[{i}]", pruned);
                }

                break;
        }
    }

    private static void PruneObject(JsonObject o, JsonObject schema, string path, bool isRoot, List<string> pruned)
    {
        var properties = schema["properties"] as JsonObject;
        var additional = schema["additionalProperties"];
        var preserve = Flag(schema, "x-kubernetes-preserve-unknown-fields");
        foreach (var key in o.Select(kv => kv.Key).ToList())
        {
            // upstream: pruning/algorithm.go — apiVersion, kind and metadata of the resource root are not the schema's to prune.
            if (isRoot && key is "apiVersion" or "kind" or "metadata")
            {
                continue;
            }

            var child = Join(path, key);
            if (properties?[key] is JsonObject property)
            {
                PruneNode(o[key], property, child, pruned);
            }
            else if (additional is JsonObject additionalSchema)
            {
                PruneNode(o[key], additionalSchema, child, pruned);
            }
            else if (!preserve && !(additional is JsonValue v && v.GetValueKind() == JsonValueKind.True))
            {
                o.Remove(key);
                pruned.Add(child);
            }
        }
    }

    private static void DefaultNode(JsonNode? node, JsonObject schema)
    {
        if (node is JsonObject o)
        {
            if (schema["properties"] is JsonObject properties)
            {
                foreach (var (key, value) in properties)
                {
                    if (value is not JsonObject property)
                    {
                        continue;
                    }

                    var present = o.TryGetPropertyValue(key, out var current);
                    if (present && current is null && !Flag(property, "nullable"))
                    {
                        // upstream: defaulting/prunenulls.go — a null the schema does not allow is dropped, then defaulted.
                        o.Remove(key);
                        present = false;
                    }

                    if (!present && property["default"] is { } fallback)
                    {
                        o[key] = fallback.DeepClone();
                    }
                }

                foreach (var (key, value) in o.ToList())
                {
                    if (properties[key] is JsonObject property)
                    {
                        DefaultNode(value, property);
                    }
                }
            }
            else if (schema["additionalProperties"] is JsonObject additional)
            {
                foreach (var (_, value) in o.ToList())
                {
                    DefaultNode(value, additional);
                }
            }
        }
        else if (node is JsonArray a && schema["items"] is JsonObject items)
        {
            foreach (var item in a)
            {
                DefaultNode(item, items);
            }
        }
    }

    private static void ValidateNode(JsonNode? node, JsonObject schema, string path, List<FieldError> errors)
    {
        var actual = TypeOf(node);
        if (Flag(schema, "x-kubernetes-int-or-string"))
        {
            if (actual is not ("integer" or "string"))
            {
                // upstream: the anyOf [integer, string] a structural int-or-string carries fails as a whole.
                errors.Add(FieldError.Invalid(path, node, "must validate at least one schema (anyOf)"));
            }

            return;
        }

        if (node is null)
        {
            if (!Flag(schema, "nullable") && (string?)schema["type"] is { } wanted)
            {
                errors.Add(TypeError(path, wanted, "null"));
            }

            return;
        }

        if ((string?)schema["type"] is { } type && !Compatible(type, actual, node))
        {
            // upstream: kube-openapi validate/type.go — InvalidType(path, in, type, actual): stops this node's checks.
            errors.Add(TypeError(path, type, actual));
            return;
        }

        if (schema["enum"] is JsonArray allowed && !allowed.Any(a => JsonNode.DeepEquals(a, node)))
        {
            // upstream: validation.go kubeOpenAPIResultToFieldErrors — EnumFailCode → field.NotSupported; non-strings as JSON.
            errors.Add(FieldError.NotSupported(path, node, allowed.Select(a => a is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : a?.ToJsonString() ?? "null")));
        }

        if (node is JsonValue value && actual == "string" && (string?)schema["pattern"] is { } pattern && !Matches(pattern, value.GetValue<string>()))
        {
            errors.Add(FieldError.Invalid(path, node, $"{path} in body should match '{pattern}'"));
        }

        if (node is JsonValue number && actual is "integer" or "number")
        {
            var n = Number(number);
            if (schema["minimum"] is JsonValue min && n < Number(min))
            {
                errors.Add(FieldError.Invalid(path, node, $"{path} in body should be greater than or equal to {FieldError.GoValue(min)}"));
            }

            if (schema["maximum"] is JsonValue max && n > Number(max))
            {
                errors.Add(FieldError.Invalid(path, node, $"{path} in body should be less than or equal to {FieldError.GoValue(max)}"));
            }
        }

        switch (node)
        {
            case JsonObject o:
                ValidateObject(o, schema, path, errors);
                break;
            case JsonArray a when schema["items"] is JsonObject items:
                for (var i = 0; i < a.Count; i++)
                {
                    ValidateNode(a[i], items, $"{path}[{i}]", errors);
                }

                break;
        }
    }

    private static void ValidateObject(JsonObject o, JsonObject schema, string path, List<FieldError> errors)
    {
        if (schema["required"] is JsonArray required)
        {
            foreach (var name in required.Select(r => (string?)r).OfType<string>())
            {
                if (!o.ContainsKey(name))
                {
                    // upstream: kube-openapi validate/object_validator.go — errors.Required(path + "." + name); the leading "." is trimmed.
                    errors.Add(FieldError.Required(Join(path, name)));
                }
            }
        }

        var properties = schema["properties"] as JsonObject;
        var additional = schema["additionalProperties"] as JsonObject;
        foreach (var (key, value) in o)
        {
            if (path.Length == 0 && key == "metadata")
            {
                continue;
            }

            if (properties?[key] is JsonObject property)
            {
                ValidateNode(value, property, Join(path, key), errors);
            }
            else if (additional is not null)
            {
                ValidateNode(value, additional, Join(path, key), errors);
            }
        }
    }

    private static FieldError TypeError(string path, string wanted, string actual) =>
        FieldError.TypeInvalid(path, JsonValue.Create(actual), $"{path} in body must be of type {wanted}: {FieldError.GoQuote(actual)}");

    /// <summary>An integer-valued number passes as an integer, an integer as a number (kube-openapi validate/type.go isFloatInt, isIntFloat).</summary>
    private static bool Compatible(string wanted, string actual, JsonNode node) => wanted switch
    {
        "integer" => actual == "integer" || (actual == "number" && Math.Abs(Number(node) % 1) == 0),
        "number" => actual is "number" or "integer",
        _ => wanted == actual,
    };

    private static string TypeOf(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "object",
        JsonArray => "array",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            JsonValueKind.Number => v.TryGetValue<long>(out _) ? "integer" : "number",
            _ => "null",
        },
        _ => "null",
    };

    private static double Number(JsonNode node) => double.Parse(node.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);

    private static bool Matches(string pattern, string text) =>
        Patterns.GetOrAdd(pattern, p => new Regex(p, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1))).IsMatch(text);

    private static bool Flag(JsonObject schema, string name) =>
        schema[name] is JsonValue v && v.GetValueKind() == JsonValueKind.True;

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";
}
