using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OtelLab.Sim.Cluster;

namespace OtelLab.Sim.ApiServer.Internal;

/// <summary>
/// A list's <c>continue</c> token as the API server writes it: unpadded base64url of
/// <c>{"v":"meta.k8s.io/v1","rv":N,"start":"KEY\u0000"}</c>, where KEY is the last returned object's storage key below
/// the list's prefix (<c>name</c>, or <c>namespace/name</c> across namespaces) and rv is the list's snapshot (-1: the
/// latest, the "inconsistent" continuation handed back with a 410).
/// upstream: apiserver pkg/storage/continue.go EncodeContinue/DecodeContinue.
/// </summary>
internal readonly record struct ContinueToken(long ResourceVersion, string StartKey)
{
    private const string Version = "meta.k8s.io/v1";

    /// <summary>The token that resumes after <paramref name="lastKey"/>.</summary>
    public static string After(long resourceVersion, string lastKey) => new ContinueToken(resourceVersion, lastKey + "\0").Encode();

    public string Encode()
    {
        var json = new JsonObject { ["v"] = Version, ["rv"] = ResourceVersion, ["start"] = StartKey }.ToJsonString();
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>Reads a token, or a 400 with DecodeContinue's error wrapped as the etcd3 store's GetList wraps it.</summary>
    public static ContinueToken Decode(string value)
    {
        JsonObject? token;
        try
        {
            var base64 = value.Replace('-', '+').Replace('_', '/');
            var bytes = Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '='));
            token = JsonNode.Parse(bytes) as JsonObject;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            throw Invalid("continue key is not valid: " + (e is FormatException ? "illegal base64 data" : e.Message));
        }

        if (token is null)
        {
            throw Invalid("continue key is not valid");
        }

        var version = token["v"]?.GetValueKind() == JsonValueKind.String ? (string?)token["v"] : null;
        if (version != Version)
        {
            throw Invalid($"continue key is not valid: server does not recognize this encoded version {version}");
        }

        var rv = token["rv"]?.GetValueKind() == JsonValueKind.Number ? (long)token["rv"]! : 0;
        if (rv == 0)
        {
            throw Invalid("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
        }

        var start = token["start"]?.GetValueKind() == JsonValueKind.String ? (string)token["start"]! : "";
        if (start.Length == 0)
        {
            throw Invalid("continue key is not valid: encoded start key empty (version meta.k8s.io/v1)");
        }

        // upstream: DecodeContinue path.Clean — a key that climbs out of the list's prefix is refused.
        if (start.Split('/').Any(p => p is "." or ".." || p.Length == 0 && start.Length > 1))
        {
            throw Invalid($"continue key is not valid: {start}");
        }

        return new ContinueToken(rv, start.TrimStart('/'));
    }

    private static ClusterApiException Invalid(string why) => new(400, "BadRequest", $"invalid continue token: {why}");
}
