using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OtelLab.Sim.Vault.Internal;

/// <summary>JWS compact serialization (RFC 7515 §7.1): base64url(header).base64url(claims).base64url(signature).</summary>
internal sealed record CompactJwt(JsonObject Header, JsonObject Claims, byte[] SigningInput, byte[] Signature)
{
    public static string Encode(JsonObject header, JsonObject claims, Func<byte[], byte[]> sign)
    {
        var signingInput = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." +
                           Base64Url.EncodeToString(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        return signingInput + "." + Base64Url.EncodeToString(sign(Encoding.ASCII.GetBytes(signingInput)));
    }

    /// <summary>Splits and decodes a token; null with the reason when it is not a well-formed compact JWS.</summary>
    public static CompactJwt? TryDecode(string token, out string error)
    {
        error = string.Empty;
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            error = "compact JWS format must have three parts";
            return null;
        }

        try
        {
            var header = JsonNode.Parse(Base64Url.DecodeFromChars(parts[0])) as JsonObject;
            var claims = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1])) as JsonObject;
            if (header is null || claims is null)
            {
                error = "JWT header and claims must be JSON objects";
                return null;
            }

            return new CompactJwt(header, claims, Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url.DecodeFromChars(parts[2]));
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            error = "malformed JWT: " + e.Message;
            return null;
        }
    }

    public string? Claim(string name) => Claims[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
