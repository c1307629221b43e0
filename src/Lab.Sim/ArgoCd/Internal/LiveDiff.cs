using System.Text.Json.Nodes;

namespace OtelLab.Sim.ArgoCd.Internal;

/// <summary>
/// Whether a live object differs from its target in a field git declares. Argo's diff (gitops-engine pkg/diff
/// diff.go TwoWayDiff, ThreeWayDiff) predicts the live object after applying the target and compares: fields git
/// does not set (server defaults, managedFields, status) never make an object OutOfSync; only declared fields that
/// differ do. Lists are compared element by element.
/// </summary>
internal static class LiveDiff
{
    public static bool Differs(JsonObject target, JsonObject live)
    {
        foreach (var (key, value) in target)
        {
            if (key is "status" or "apiVersion" or "kind")
            {
                continue;
            }

            if (key == "metadata")
            {
                if (Differs(target["metadata"]?["labels"], live["metadata"]?["labels"]) || Differs(target["metadata"]?["annotations"], live["metadata"]?["annotations"]))
                {
                    return true;
                }

                continue;
            }

            if (Differs(value, live[key]))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Differs(JsonNode? target, JsonNode? live) => (target, live) switch
    {
        (null, _) => false,
        (JsonObject t, JsonObject l) => t.Any(kv => Differs(kv.Value, l[kv.Key])),
        (JsonObject t, null) => t.Count > 0,
        (JsonArray t, JsonArray l) => t.Count != l.Count || t.Select((v, i) => Differs(v, l[i])).Any(d => d),
        (JsonValue t, JsonValue l) => Scalar(t) != Scalar(l),
        _ => true,
    };

    private static string Scalar(JsonValue v) => v.ToJsonString().Trim('"');
}
