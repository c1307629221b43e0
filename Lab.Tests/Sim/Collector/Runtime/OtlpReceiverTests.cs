using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using OtelLab.Sim.Collector.Runtime;
using OtelLab.Tests.Support;
using SpanKind = OtelLab.Sim.Collector.Traces.SpanKind;

namespace OtelLab.Tests.Sim.Collector.Runtime;

/// <summary>The otlp receiver against the real OpenTelemetry .NET OTLP exporter and raw OTLP/HTTP requests.</summary>
[Trait("Category", "Component")]
public sealed class OtlpReceiverTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    /// <summary>An agent config: otlp on both protocols into the capturing <c>nop</c> exporter of <see cref="CaptureExporterFactory"/>.</summary>
    internal static string Config(string grpc = "0.0.0.0:4317", string http = "0.0.0.0:4318") => $$$"""
        receivers:
          otlp:
            protocols:
              grpc: {endpoint: "{{{grpc}}}"}
              http: {endpoint: "{{{http}}}"}
        exporters:
          nop:
        service:
          telemetry: {metrics: {level: none}}
          pipelines:
            traces: {receivers: [otlp], exporters: [nop]}
        """;

    [Theory]
    [InlineData(OtlpExportProtocol.Grpc, 11, "grpc")]
    [InlineData(OtlpExportProtocol.HttpProtobuf, 12, "http")]
    public async Task The_real_dotnet_exporter_delivers_spans_with_their_shape_and_the_client_address(OtlpExportProtocol protocol, int host, string transport)
    {
        // Given a collector listening on its pod address with a capturing exporter
        var ct = TestContext.Current.CancellationToken;
        var capture = new CaptureExporterFactory();
        var pod = CollectorTestKit.Address(host);
        await using var collector = await CollectorInstance.StartAsync(Config(), CollectorInstance.CreateContext(pod),
            new CollectorInstanceOptions { Catalog = CollectorTestKit.CatalogWith(capture) }, ct);

        // When the OpenTelemetry .NET SDK exports a server span with an event and a client child span
        var source = "lab.tests.receiver." + Guid.NewGuid().ToString("N");
        using (var provider = Sdk.CreateTracerProviderBuilder()
                   .ConfigureResource(r => r.AddService("checkout"))
                   .AddSource(source)
                   .AddOtlpExporter(o =>
                   {
                       o.Protocol = protocol;
                       o.Endpoint = protocol == OtlpExportProtocol.Grpc ? new Uri($"http://{pod}:4317") : new Uri($"http://{pod}:4318/v1/traces");
                       o.ExportProcessorType = ExportProcessorType.Simple;
                   })
                   .Build())
        {
            using var activitySource = new ActivitySource(source, "1.2.3");
            using (var parent = activitySource.StartActivity("GET /checkout", ActivityKind.Server))
            {
                parent!.SetTag("http.request.method", "GET");
                parent.AddEvent(new ActivityEvent("cache miss"));
                using var child = activitySource.StartActivity("charge", ActivityKind.Client);
                child!.SetStatus(ActivityStatusCode.Error);
            }

            provider.ForceFlush();
        }

        // Then both spans arrive with kind, status, scope, event, parentage and resource
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(capture.Spans.Count >= 2), Wait, ct));
        var spans = capture.Spans.ToList();
        var server = Assert.Single(spans, s => s.Name == "GET /checkout");
        var client = Assert.Single(spans, s => s.Name == "charge");
        Assert.Equal(SpanKind.Server, server.Kind);
        Assert.Equal(SpanKind.Client, client.Kind);
        Assert.Equal(OtelLab.Sim.Collector.Traces.SpanStatusCode.Error, client.Status);
        Assert.Equal(server.SpanId, client.ParentSpanId);
        Assert.Equal(server.TraceId, client.TraceId);
        Assert.Equal("cache miss", Assert.Single(server.Events).Name);
        Assert.Equal((source, "1.2.3"), (server.ScopeName, server.ScopeVersion));
        Assert.Equal("GET", server.Attributes["http.request.method"].Str);
        Assert.Equal("checkout", server.ServiceName);

        // And the pipeline ran with the sender's address as ClientInfo, and the receiver counted the spans by transport
        Assert.All(capture.Clients, c => Assert.Equal(IPAddress.Loopback.GetAddressBytes()[0], c!.Address!.GetAddressBytes()[0]));
        Assert.Equal(2, collector.Telemetry.Counter("otelcol_receiver_accepted_spans", "").Value(new("receiver", "otlp"), new("transport", transport)));
    }

    [Fact]
    public async Task Http_accepts_gzip_json_with_hex_ids_and_answers_upstreams_codes()
    {
        // Given a collector with an OTLP/HTTP listener
        var ct = TestContext.Current.CancellationToken;
        var capture = new CaptureExporterFactory();
        var pod = CollectorTestKit.Address(13);
        await using var collector = await CollectorInstance.StartAsync(Config(), CollectorInstance.CreateContext(pod),
            new CollectorInstanceOptions { Catalog = CollectorTestKit.CatalogWith(capture) }, ct);
        using var http = new HttpClient();
        var url = $"http://{pod}:4318/v1/traces";

        // When a gzip-compressed OTLP/JSON request with hex ids is posted
        const string json = """{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"payments"}}]},"scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"pay","kind":2,"startTimeUnixNano":"1","endTimeUnixNano":"2"}]}]}]}""";
        using var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            await gzip.WriteAsync(Encoding.UTF8.GetBytes(json), ct);
        }

        using var content = new ByteArrayContent(compressed.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.ContentEncoding.Add("gzip");
        using var ok = await http.PostAsync(url, content, ct);

        // Then it is accepted (200, JSON body) and the span carries the hex ids
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("application/json", ok.Content.Headers.ContentType?.MediaType);
        var span = Assert.Single(capture.Spans);
        Assert.Equal("5b8efff798038103d269b633813fc60c", span.TraceId.ToString());
        Assert.Equal(0xeee19b7ec3c1b174UL, span.SpanId);
        Assert.Equal("payments", span.ServiceName);

        // And other media types, methods and undecodable bodies get upstream's 415, 405 and 400
        using var text = await http.PostAsync(url, new StringContent("x", Encoding.UTF8, "text/plain"), ct);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);
        using var get = await http.GetAsync(url, ct);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, get.StatusCode);
        using var garbage = new ByteArrayContent([0xff, 0xff, 0xff]);
        garbage.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        using var bad = await http.PostAsync(url, garbage, ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task A_localhost_endpoint_is_unreachable_from_outside_the_pod()
    {
        // Given a receiver configured on localhost (upstream's default since v0.104)
        var ct = TestContext.Current.CancellationToken;
        var pod = CollectorTestKit.Address(14);
        await using var collector = await CollectorInstance.StartAsync(Config(grpc: "localhost:4317", http: "localhost:4318"),
            CollectorInstance.CreateContext(pod), new CollectorInstanceOptions { Catalog = CollectorTestKit.CatalogWith(new CaptureExporterFactory()) }, ct);

        // When another address connects to the pod's port
        using var http = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (context, token) =>
            {
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(CollectorTestKit.Address(15), 0));
                await socket.ConnectAsync(new IPEndPoint(pod, 4318), token);
                return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
            },
        });
        using var body = new ByteArrayContent([]);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");

        // Then the connection is dropped, while the pod itself still reaches it
        // (dropped during connect or on the first read, depending on timing: both are a connection failure)
        var failure = await Record.ExceptionAsync(() => http.PostAsync($"http://{pod}:4318/v1/traces", body, ct));
        Assert.True(failure is HttpRequestException or System.Net.Sockets.SocketException or IOException, failure?.ToString() ?? "the request succeeded");
        Assert.Contains(collector.Log.Lines(), l => l.Contains("Starting HTTP server", StringComparison.Ordinal) && l.Contains("localhost:4318", StringComparison.Ordinal));
    }
}
