using System.Text.Json.Nodes;
using System.Text.Json;
using System.Text;
using Microsoft.AspNetCore.Http;
using OtelLab.Model.Yaml;
using OtelLab.Sim.Cluster;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OtelLab.Sim.ApiServer.Internal;

/// <summary>
/// A request body as the API server reads it: at most 3 MiB (413 beyond), JSON or YAML by Content-Type (415 for
/// anything else), and a 400 with the decoder's message for a body that does not parse.
/// upstream: apiserver pkg/endpoints/handlers/rest.go limitedReadBody (MaxRequestBodyBytes = 3 MiB in
/// server/config.go), handlers/negotiation (NegotiateInputSerializer), sigs.k8s.io/yaml.
/// </summary>
internal static class RequestBody
{
    public const long MaxBytes = 3 * 1024 * 1024;

    private const string Accepted = "application/json, application/yaml, application/vnd.kubernetes.protobuf";

    public static async Task<JsonNode?> ReadAsync(HttpContext context)
    {
        var contentType = (context.Request.ContentType ?? "application/json").Split(';')[0].Trim().ToLowerInvariant();
        var yaml = contentType is "application/yaml" or "application/apply-patch+yaml";
        if (contentType == ProtobufBody.ContentType)
        {
            return ProtobufBody.Decode(await ReadBytesAsync(context).ConfigureAwait(false));
        }

        if (!yaml && contentType is not ("application/json" or "application/json-patch+json" or "application/merge-patch+json" or "application/strategic-merge-patch+json" or ""))
        {
            throw new ClusterApiException(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: {Accepted}");
        }

        var text = await ReadTextAsync(context).ConfigureAwait(false);
        if (text.Trim().Length == 0)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException) when (!yaml)
        {
            throw new ClusterApiException(400, "BadRequest", $"couldn't get version/kind; json parse error: {GoJsonError(text)}");
        }
        catch (JsonException)
        {
            return ParseYaml(text);
        }
    }

    private static JsonNode? ParseYaml(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new ClusterApiException(400, "BadRequest", $"error converting YAML to JSON: yaml: line {e.Start.Line}: {e.Message}");
        }

        return stream.Documents.Count == 0 ? null : YamlJson.Convert(stream.Documents[0].RootNode);
    }

    private static async Task<string> ReadTextAsync(HttpContext context)
    {
        var bytes = await ReadBytesAsync(context).ConfigureAwait(false);
        return Encoding.UTF8.GetString(bytes);
    }

    private static async Task<byte[]> ReadBytesAsync(HttpContext context)
    {
        if (context.Request.ContentLength > MaxBytes)
        {
            throw TooLarge();
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                throw TooLarge();
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    // upstream: apimachinery errors.NewRequestEntityTooLargeError — "Request entity too large: limit is 3145728".
    private static ClusterApiException TooLarge() => new(413, "RequestEntityTooLarge", $"Request entity too large: limit is {MaxBytes}");

    private static int SkipSpace(byte[] bytes, int offset)
    {
        while (offset < bytes.Length && bytes[offset] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')
        {
            offset++;
        }

        return offset;
    }

    /// <summary>Go encoding/json's wording for the two common failures: a bad character and a truncated document.</summary>
    private static string GoJsonError(string text)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(text), new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            while (reader.Read())
            {
            }

            return "unexpected end of JSON input";
        }
        catch (JsonException)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            var offset = SkipSpace(bytes, (int)reader.BytesConsumed);
            if (reader.TokenType is JsonTokenType.PropertyName && offset < bytes.Length && bytes[offset] == (byte)':')
            {
                offset = SkipSpace(bytes, offset + 1);
            }

            // After a key, Go wants the colon; anywhere else it wants a value.
            var previous = offset - 1;
            while (previous >= 0 && bytes[previous] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')
            {
                previous--;
            }

            var afterKey = reader.TokenType is JsonTokenType.PropertyName && previous >= 0 && bytes[previous] == (byte)'"';
            return offset >= bytes.Length
                ? "unexpected end of JSON input"
                : $"invalid character '{(char)bytes[offset]}' {(afterKey ? "after object key" : "looking for beginning of value")}";
        }
    }
}
