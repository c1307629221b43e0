using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OtelLab.Sim.ApiServer.Internal;

/// <summary>
/// JSON text as Go's encoding/json writes it, which the API server and kubectl produce: quotes as <c>\"</c>, and only
/// <c>&lt;</c>, <c>&gt;</c> and <c>&amp;</c> escaped (<c>\u003c</c>, <c>\u003e</c>, <c>\u0026</c>; encoding/json HTMLEscape).
/// kubectl compares the last-applied annotation as a string, so the bytes matter there.
/// </summary>
internal static class GoJson
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // <, > and & occur only inside strings, so replacing them in the text escapes exactly those in strings.
    public static string Serialize(JsonNode node) =>
        node.ToJsonString(Relaxed)
            .Replace("<", "\\u003c", StringComparison.Ordinal)
            .Replace(">", "\\u003e", StringComparison.Ordinal)
            .Replace("&", "\\u0026", StringComparison.Ordinal);
}
