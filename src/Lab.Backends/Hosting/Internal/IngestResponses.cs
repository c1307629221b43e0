using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using OtelLab.Backends.Capture;

namespace OtelLab.Backends.Hosting.Internal;

/// <summary>Small helpers the ingest endpoints of both vendors share.</summary>
internal static class IngestResponses
{
    public const string Protobuf = "application/x-protobuf";

    public static bool IsMediaType(HttpRequest request, string mediaType)
    {
        var contentType = request.ContentType;
        if (string.IsNullOrEmpty(contentType))
        {
            return false;
        }

        var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        var media = (semicolon < 0 ? contentType : contentType[..semicolon]).Trim();
        return media.Equals(mediaType, StringComparison.OrdinalIgnoreCase);
    }

    public static async Task WriteProtobufAsync(HttpContext context, int status, IMessage message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = Protobuf;
        var bytes = message.ToByteArray();
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
    }

    public static Task WriteJsonTextAsync(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(json, context.RequestAborted);
    }

    /// <summary>The HTTP status and reason code for a body that could not be read.</summary>
    public static (int Status, string Reason) Of(BodyStatus status) => status switch
    {
        BodyStatus.TooLarge => (StatusCodes.Status413PayloadTooLarge, "PAYLOAD_TOO_LARGE"),
        BodyStatus.BadEncoding => (StatusCodes.Status400BadRequest, "BAD_CONTENT_ENCODING"),
        BodyStatus.UnsupportedEncoding => (StatusCodes.Status415UnsupportedMediaType, "UNSUPPORTED_CONTENT_ENCODING"),
        _ => (StatusCodes.Status200OK, "OK"),
    };

    public static CapturedRejection Rejection(CaptureStore store, Signal signal, int status, string reason, string detail, CredentialFingerprint credential, long items = 0) =>
        new(store.Backend, signal, status, reason, detail, "", items, "", credential, store.Now());

    public static string? Peer(HttpContext context) => context.Connection.RemoteIpAddress?.ToString();
}
