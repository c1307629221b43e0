using System.Text.Json.Nodes;

namespace OtelLab.Sim.ApiServer.Internal.Apply;

/// <summary>
/// An object seen the way server-side apply sees it: its set of fields, the value at a field path, and the merge of
/// an applied configuration into it (maps merge, associative lists merge by key, other lists and scalars are replaced).
/// upstream: structured-merge-diff typed (ToFieldSet, merge) with the list keys of k8s.io/api's
/// <c>+listType=map</c>/<c>+listMapKey</c> markers.
/// </summary>
/// <remarks>
/// The list keys are the common fields' (containers, env, volumes, imagePullSecrets by name; volumeMounts by
/// mountPath; container ports by containerPort, Service ports by port); upstream keys ports by port and protocol
/// together. Every other list is atomic, as upstream treats lists without markers.
/// </remarks>
internal static class StructuredObject
{
    private static readonly HashSet<string> MapFields = new(StringComparer.Ordinal)
    {
        "labels", "annotations", "data", "binaryData", "stringData", "matchLabels", "nodeSelector", "podAnnotations",
    };

    /// <summary>The fields an object sets: apiVersion/kind, identity metadata and (for the main resource) status excluded.</summary>
    public static FieldSet FieldsOf(JsonObject o)
    {
        var set = new FieldSet();
        foreach (var (key, value) in o)
        {
            switch (key)
            {
                case "apiVersion" or "kind" or "status":
                    break;
                case "metadata" when value is JsonObject meta:
                    // upstream: fieldmanager strips name, namespace, uid, resourceVersion, managedFields… from the managed set.
                    foreach (var part in new[] { "labels", "annotations" })
                    {
                        if (meta[part] is JsonObject m && m.Count > 0)
                        {
                            Collect(m, FieldSet.Join("f:metadata", "f:" + part), part, set);
                        }
                    }

                    break;
                default:
                    Collect(value, "f:" + key, key, set);
                    break;
            }
        }

        return set;
    }

    /// <summary>The value at a path (FieldsV1 elements), or null when absent.</summary>
    public static JsonNode? ValueAt(JsonNode? node, string path)
    {
        foreach (var element in FieldSet.Elements(path))
        {
            node = Step(node, element, out _);
            if (node is null)
            {
                return null;
            }
        }

        return node;
    }

    /// <summary>Removes the field or list item at <paramref name="path"/>, if present.</summary>
    public static void Remove(JsonObject root, string path)
    {
        var elements = FieldSet.Elements(path);
        JsonNode? parent = root;
        foreach (var element in elements[..^1])
        {
            parent = Step(parent, element, out _);
        }

        switch (parent)
        {
            case JsonObject o when elements[^1].StartsWith("f:", StringComparison.Ordinal):
                o.Remove(elements[^1][2..]);
                break;
            case JsonArray a:
                Step(a, elements[^1], out var index);
                if (index >= 0)
                {
                    a.RemoveAt(index);
                }

                break;
        }
    }

    /// <summary>Merges <paramref name="applied"/> into <paramref name="target"/> in place.</summary>
    public static void Merge(JsonObject target, JsonObject applied)
    {
        foreach (var (key, value) in applied)
        {
            if (value is JsonObject o && target[key] is JsonObject existing)
            {
                Merge(existing, o);
            }
            else if (value is JsonArray list && target[key] is JsonArray current && KeyOf(key, list.Count > 0 ? list : current) is { } listKey)
            {
                foreach (var item in list.OfType<JsonObject>())
                {
                    var match = current.OfType<JsonObject>().FirstOrDefault(c => JsonNode.DeepEquals(c[listKey], item[listKey]));
                    if (match is null)
                    {
                        current.Add(item.DeepClone());
                    }
                    else
                    {
                        Merge(match, item);
                    }
                }
            }
            else
            {
                target[key] = value?.DeepClone();
            }
        }
    }

    /// <summary>The list key of a list field, or null for an atomic list.</summary>
    public static string? KeyOf(string field, JsonArray items)
    {
        var first = items.OfType<JsonObject>().FirstOrDefault();
        return field switch
        {
            "containers" or "initContainers" or "ephemeralContainers" or "env" or "volumes" or "imagePullSecrets" => "name",
            "volumeMounts" => "mountPath",
            "ports" when first?["containerPort"] is not null => "containerPort",
            "ports" when first?["port"] is not null => "port",
            _ => null,
        };
    }

    private static void Collect(JsonNode? node, string path, string field, FieldSet set)
    {
        switch (node)
        {
            case JsonObject o when o.Count > 0:
                if (MapFields.Contains(field))
                {
                    set.Add(path);
                }

                foreach (var (key, value) in o)
                {
                    Collect(value, FieldSet.Join(path, "f:" + key), key, set);
                }

                break;
            case JsonArray a when a.Count > 0 && KeyOf(field, a) is { } key:
                foreach (var item in a.OfType<JsonObject>())
                {
                    var itemPath = FieldSet.Join(path, "k:" + new JsonObject { [key] = item[key]?.DeepClone() }.ToJsonString());
                    set.Add(itemPath);
                    foreach (var (k, v) in item)
                    {
                        Collect(v, FieldSet.Join(itemPath, "f:" + k), k, set);
                    }
                }

                break;
            default:
                set.Add(path);
                break;
        }
    }

    private static JsonNode? Step(JsonNode? node, string element, out int index)
    {
        index = -1;
        var name = element[2..];
        switch (element[..2])
        {
            case "f:":
                return (node as JsonObject)?[name];
            case "k:" when node is JsonArray a:
                var key = (JsonObject)JsonNode.Parse(name)!;
                for (var i = 0; i < a.Count; i++)
                {
                    if (a[i] is JsonObject item && key.All(kv => JsonNode.DeepEquals(item[kv.Key], kv.Value)))
                    {
                        index = i;
                        return item;
                    }
                }

                return null;
            case "i:" when node is JsonArray a && int.TryParse(name, out var at) && at < a.Count:
                index = at;
                return a[at];
            default:
                return null;
        }
    }
}
