using System.Text.Json.Nodes;
using Google.Protobuf;

namespace OtelLab.Sim.Collector.Receivers.Otlp.Internal;

/// <summary>
/// OTLP/JSON → protobuf messages. OTLP/JSON differs from protobuf's canonical JSON in one way that matters here:
/// trace and span ids are hex, not base64 (opentelemetry-proto docs/specification.md "JSON Protobuf Encoding"), so
/// they are rewritten before Google.Protobuf's parser (which accepts lowerCamelCase names and integer enums) runs.
/// </summary>
internal static class OtlpJson
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));
    private static readonly HashSet<string> IdFields = ["traceId", "spanId", "parentSpanId", "trace_id", "span_id", "parent_span_id"];

    public static T Parse<T>(ReadOnlySpan<byte> utf8)
        where T : IMessage<T>, new()
    {
        var node = JsonNode.Parse(utf8) ?? throw new FormatException("empty JSON body");
        RewriteIds(node);
        return Parser.Parse<T>(node.ToJsonString());
    }

    private static void RewriteIds(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToList())
                {
                    if (value is JsonValue v && IdFields.Contains(key) && v.TryGetValue<string>(out var hex))
                    {
                        obj[key] = hex.Length == 0 ? string.Empty : Convert.ToBase64String(Convert.FromHexString(hex));
                    }
                    else if (value is not null)
                    {
                        RewriteIds(value);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    if (item is not null)
                    {
                        RewriteIds(item);
                    }
                }

                break;
        }
    }
}
