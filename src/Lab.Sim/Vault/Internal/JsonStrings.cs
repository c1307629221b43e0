using System.Text.Json.Nodes;

namespace OtelLab.Sim.Vault.Internal;

/// <summary>JSON arrays and objects of strings, the shape most Vault fields have.</summary>
internal static class JsonStrings
{
    public static JsonArray Array(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)v).ToArray());

    public static JsonObject Object(IEnumerable<KeyValuePair<string, string>> fields) =>
        new(fields.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value)));
}
