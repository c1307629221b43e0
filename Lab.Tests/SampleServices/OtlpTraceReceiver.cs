using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Text.Json;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;

namespace OtelLab.Tests.SampleServices;

/// <summary>
/// A tiny OTLP/HTTP receiver on loopback for the sample-service tests: decodes <c>ExportTraceServiceRequest</c> from
/// protobuf (Lab.Otlp) or OTLP/JSON, keeps every span; <c>/v1/metrics</c> and <c>/v1/logs</c> are accepted and dropped.
/// </summary>
internal sealed class OtlpTraceReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedSpan> _spans = new();
    private readonly ConcurrentQueue<string> _errors = new();

    private OtlpTraceReceiver(WebApplication app) => _app = app;

    public string Endpoint { get; private set; } = string.Empty;

    public IReadOnlyList<ReceivedSpan> Spans => [.. _spans];

    public IReadOnlyList<string> Errors => [.. _errors];

    public static async Task<OtlpTraceReceiver> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new OtlpTraceReceiver(app);
        app.MapPost("/v1/traces", receiver.ReceiveAsync);
        app.MapPost("/v1/metrics", () => Results.Ok());
        app.MapPost("/v1/logs", () => Results.Ok());
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        receiver.Endpoint = address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal);
        return receiver;
    }

    private async Task<IResult> ReceiveAsync(HttpRequest request)
    {
        using var body = new MemoryStream();
        var input = request.Headers.ContentEncoding.ToString() == "gzip" ? new GZipStream(request.Body, CompressionMode.Decompress) : request.Body;
        await input.CopyToAsync(body, request.HttpContext.RequestAborted);
        try
        {
            var isJson = request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true;
            foreach (var span in isJson ? DecodeJson(body.ToArray()) : DecodeProtobuf(body.ToArray()))
            {
                _spans.Enqueue(span);
            }

            return isJson ? Results.Text("{}", "application/json") : Results.Bytes([], "application/x-protobuf");
        }
        catch (Exception ex) when (ex is InvalidProtocolBufferException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            _errors.Enqueue($"{request.ContentType}: {ex.Message}");
            return Results.BadRequest();
        }
    }

    internal static IEnumerable<ReceivedSpan> DecodeProtobuf(byte[] body)
    {
        var request = ExportTraceServiceRequest.Parser.ParseFrom(body);
        foreach (var rs in request.ResourceSpans)
        {
            var resource = Attributes(rs.Resource?.Attributes ?? []);
            foreach (var span in rs.ScopeSpans.SelectMany(s => s.Spans))
            {
                yield return new ReceivedSpan(
                    Convert.ToHexStringLower(span.TraceId.Span),
                    Convert.ToHexStringLower(span.SpanId.Span),
                    Convert.ToHexStringLower(span.ParentSpanId.Span),
                    span.Name,
                    (int)span.Kind,
                    (int)(span.Status?.Code ?? 0),
                    resource,
                    Attributes(span.Attributes),
                    "protobuf");
            }
        }
    }

    private static Dictionary<string, string> Attributes(IEnumerable<KeyValue> attributes) =>
        attributes.ToDictionary(a => a.Key, a => a.Value.ValueCase switch
        {
            AnyValue.ValueOneofCase.IntValue => a.Value.IntValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
            AnyValue.ValueOneofCase.BoolValue => a.Value.BoolValue ? "true" : "false",
            _ => a.Value.StringValue,
        }, StringComparer.Ordinal);

    // OTLP/JSON: hex ids, enums as integers, 64-bit integers as strings (opentelemetry-proto specification.md).
    internal static IEnumerable<ReceivedSpan> DecodeJson(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        var spans = new List<ReceivedSpan>();
        foreach (var rs in document.RootElement.GetProperty("resourceSpans").EnumerateArray())
        {
            var resource = rs.TryGetProperty("resource", out var r) && r.TryGetProperty("attributes", out var ra) ? JsonAttributes(ra) : [];
            foreach (var span in rs.GetProperty("scopeSpans").EnumerateArray().SelectMany(s => s.GetProperty("spans").EnumerateArray()))
            {
                spans.Add(new ReceivedSpan(
                    span.GetProperty("traceId").GetString()!.ToLowerInvariant(),
                    span.GetProperty("spanId").GetString()!.ToLowerInvariant(),
                    span.TryGetProperty("parentSpanId", out var p) ? p.GetString()!.ToLowerInvariant() : string.Empty,
                    span.GetProperty("name").GetString()!,
                    span.TryGetProperty("kind", out var k) ? k.GetInt32() : 0,
                    span.TryGetProperty("status", out var st) && st.TryGetProperty("code", out var c) ? c.GetInt32() : 0,
                    resource,
                    span.TryGetProperty("attributes", out var a) ? JsonAttributes(a) : [],
                    "json"));
            }
        }

        return spans;
    }

    private static Dictionary<string, string> JsonAttributes(JsonElement attributes) =>
        attributes.EnumerateArray().ToDictionary(
            a => a.GetProperty("key").GetString()!,
            a => a.GetProperty("value").EnumerateObject().Select(v => v.Value.ToString()).FirstOrDefault() ?? string.Empty,
            StringComparer.Ordinal);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
