using System.Text.Json.Nodes;
using OtelLab.Sim.Cluster;

namespace OtelLab.Sim.ApiServer.Internal;

/// <summary>
/// The three patch types kubectl sends (reference §4): JSON merge patch (RFC 7386, <c>application/merge-patch+json</c>),
/// JSON patch (RFC 6902, <c>application/json-patch+json</c>) and, for built-in kinds, strategic merge patch
/// (<c>application/strategic-merge-patch+json</c>). The strategic form is approximated: lists of objects merge by the
/// merge keys of the common fields (containers/env/volumes by name, ports by containerPort or port, volumeMounts by
/// mountPath — upstream's patchMergeKey tags in k8s.io/api core/v1 types.go) and <c>$</c> directives such as
/// <c>$setElementOrder</c> are dropped (apimachinery pkg/util/strategicpatch/patch.go handles them exactly).
/// </summary>
internal static class JsonPatch
{
    public static JsonNode? Merge(JsonNode? target, JsonNode? patch, bool strategic)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target is JsonObject t ? (JsonObject)t.DeepClone() : new JsonObject();
        foreach (var (key, value) in patchObject)
        {
            if (strategic && key.StartsWith('$'))
            {
                continue;
            }

            if (value is null)
            {
                result.Remove(key);
            }
            else if (strategic && value is JsonArray list && result[key] is JsonArray current && MergeKey(list) is { } mergeKey)
            {
                result[key] = MergeList(current, list, mergeKey);
            }
            else
            {
                result[key] = Merge(result[key], value, strategic);
            }
        }

        return result;
    }

    public static JsonNode? Apply(JsonNode? target, JsonArray operations)
    {
        var document = target?.DeepClone();
        foreach (var op in operations.OfType<JsonObject>())
        {
            var path = (string?)op["path"] ?? throw Bad("the path is required");
            switch ((string?)op["op"])
            {
                case "add":
                case "replace":
                    document = Set(document, path, op["value"]?.DeepClone(), (string?)op["op"] == "add");
                    break;
                case "remove":
                    document = Remove(document, path);
                    break;
                case "test":
                    if (!JsonNode.DeepEquals(Find(document, path), op["value"]))
                    {
                        throw Bad($"testing value {path} failed");
                    }

                    break;
                default:
                    throw Bad($"Unexpected kind: {(string?)op["op"]}");
            }
        }

        return document;
    }

    private static string? MergeKey(JsonArray list)
    {
        var objects = list.OfType<JsonObject>().ToList();
        if (objects.Count == 0 || objects.Count != list.Count)
        {
            return null;
        }

        foreach (var key in new[] { "name", "containerPort", "port", "mountPath", "ip", "type" })
        {
            if (objects.All(o => o.ContainsKey(key)))
            {
                return key;
            }
        }

        return null;
    }

    private static JsonArray MergeList(JsonArray current, JsonArray patch, string key)
    {
        var result = new JsonArray([.. current.Select(n => n?.DeepClone())]);
        foreach (var item in patch.OfType<JsonObject>())
        {
            var existing = result.OfType<JsonObject>().FirstOrDefault(o => JsonNode.DeepEquals(o[key], item[key]));
            if ((string?)item["$patch"] == "delete")
            {
                if (existing is not null)
                {
                    result.Remove(existing);
                }
            }
            else if (existing is null)
            {
                result.Add(Merge(null, item, strategic: true));
            }
            else
            {
                result[result.IndexOf(existing)] = Merge(existing, item, strategic: true);
            }
        }

        return result;
    }

    private static string[] Tokens(string path) =>
        path.Length == 0 ? [] : [.. path[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))];

    private static JsonNode? Find(JsonNode? node, string path)
    {
        foreach (var token in Tokens(path))
        {
            node = node switch
            {
                JsonObject o => o[token],
                JsonArray a when int.TryParse(token, out var i) && i < a.Count => a[i],
                _ => throw Bad($"path {path} does not exist"),
            };
        }

        return node;
    }

    private static JsonNode? Set(JsonNode? document, string path, JsonNode? value, bool add)
    {
        var tokens = Tokens(path);
        if (tokens.Length == 0)
        {
            return value;
        }

        var parent = Find(document, ParentPath(tokens));
        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject o:
                if (!add && !o.ContainsKey(last))
                {
                    throw Bad($"replace operation does not apply: doc is missing key: {path}");
                }

                o[last] = value;
                break;
            case JsonArray a when last == "-" && add:
                a.Add(value);
                break;
            case JsonArray a when int.TryParse(last, out var i) && i <= a.Count:
                if (add)
                {
                    a.Insert(i, value);
                }
                else
                {
                    a[i] = value;
                }

                break;
            default:
                throw Bad($"path {path} does not exist");
        }

        return document;
    }

    private static JsonNode? Remove(JsonNode? document, string path)
    {
        var tokens = Tokens(path);
        if (tokens.Length == 0)
        {
            throw Bad("cannot remove the whole document");
        }

        var parent = Find(document, ParentPath(tokens));
        switch (parent)
        {
            case JsonObject o when o.Remove(tokens[^1]):
                break;
            case JsonArray a when int.TryParse(tokens[^1], out var i) && i < a.Count:
                a.RemoveAt(i);
                break;
            default:
                throw Bad($"remove operation does not apply: doc is missing path: {path}");
        }

        return document;
    }

    private static string ParentPath(string[] tokens) =>
        tokens.Length <= 1 ? string.Empty : "/" + string.Join('/', tokens[..^1].Select(Escape));

    private static string Escape(string token) => token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    // upstream: apiserver pkg/endpoints/handlers/patch.go — a patch that cannot be applied is a 422 (json patch) or 400.
    private static ClusterApiException Bad(string message) => new(422, "Invalid", message);
}
