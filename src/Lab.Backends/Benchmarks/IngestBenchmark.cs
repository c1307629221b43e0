using System.Diagnostics;
using System.IO.Compression;
using System.Net.Http.Headers;
using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Resource.V1;
using OpenTelemetry.Proto.Trace.V1;
using OtelLab.Backends.Datadog;
using OtelLab.Backends.Datadog.Protocol;
using OtelLab.Backends.Dynatrace;
using DatadogSpan = OtelLab.Backends.Datadog.Protocol.Span;
using OtlpSpan = OpenTelemetry.Proto.Trace.V1.Span;

namespace OtelLab.Backends.Benchmarks;

/// <summary>Settings of one ingest benchmark run.</summary>
public sealed record IngestBenchmarkOptions
{
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Per case, before measuring (lets tiered JIT and the connection pool settle).</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(2);

    public int Clients { get; init; } = 4;

    public int SpansPerRequest { get; init; } = 1000;
}

/// <summary>One measured case: requests and spans accepted over the measured window, and the process CPU used.</summary>
public sealed record IngestBenchmarkResult(string Backend, string Payload, int Clients, long Requests, long Spans, long Failures, TimeSpan Elapsed, double CpuPercent)
{
    public double SpansPerSecond => Spans / Elapsed.TotalSeconds;

    /// <summary>Spans per second of CPU used by the whole process (client + server): steadier than spans/s on a busy machine.</summary>
    public double SpansPerCpuSecond => CpuPercent <= 0 ? 0 : SpansPerSecond * 100 / CpuPercent;
}

/// <summary>
/// Measures how many spans per second the mock backends ingest on loopback: pre-encoded requests (so the client
/// costs little) posted by several concurrent clients for a fixed time; the server decodes and stores every span.
/// Client and server share the machine's cores, as in the lab.
/// </summary>
public static class IngestBenchmark
{
    private const string Token = "dt0c01.BENCHMARKPUBLICPARTXXXX.BENCHMARKSECRETBENCHMARKSECRET";
    private const string ApiKey = "0123456789abcdef0123456789abcdef";

    public static async Task<IReadOnlyList<IngestBenchmarkResult>> RunAsync(IngestBenchmarkOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var results = new List<IngestBenchmarkResult>();
        await using (var dynatrace = new DynatraceBackendBuilder().WithToken(Token).Build())
        {
            await dynatrace.StartAsync(cancellationToken).ConfigureAwait(false);
            var url = new Uri(dynatrace.OtlpEndpoint + "/v1/traces");
            var plain = Enumerable.Range(0, 8).Select(i => OtlpTraces(options.SpansPerRequest, (ulong)i + 1).ToByteArray()).ToArray();
            results.Add(await MeasureAsync("dynatrace", "OTLP protobuf", url, plain, null, Authorize, Full(dynatrace), options, cancellationToken).ConfigureAwait(false));
            results.Add(await MeasureAsync("dynatrace", "OTLP protobuf+gzip", url, [.. plain.Select(Gzip)], "gzip", Authorize, Full(dynatrace), options, cancellationToken).ConfigureAwait(false));
        }

        await using (var datadog = new DatadogBackendBuilder().WithApiKey(ApiKey).Build())
        {
            await datadog.StartAsync(cancellationToken).ConfigureAwait(false);
            var url = new Uri(datadog.BaseAddress, "api/v0.2/traces");
            var bodies = Enumerable.Range(0, 8).Select(i => Gzip(AgentPayload(options.SpansPerRequest, (ulong)i + 1).ToByteArray())).ToArray();
            results.Add(await MeasureAsync("datadog", "AgentPayload+gzip", url, bodies, "gzip", r => r.Headers.Add("DD-API-KEY", ApiKey), Full(datadog), options, cancellationToken).ConfigureAwait(false));
        }

        return results;
    }

    /// <summary>
    /// Steady state: the capture ring has been filled and entirely replaced once (every new span evicts one), as in any
    /// run longer than a few seconds. Measuring earlier charges the heap's growth and tiering to whichever case runs
    /// first (measured: the first case ran at half the rate of the same case repeated after it).
    /// </summary>
    private static Func<bool> Full(IMockBackend backend) => () => backend.Captures.Summary().AcceptedSpans >= 2L * backend.Captures.CapacityPerSignal;

    private static void Authorize(HttpRequestMessage request) => request.Headers.TryAddWithoutValidation("Authorization", "Api-Token " + Token);

    private static async Task<IngestBenchmarkResult> MeasureAsync(
        string backend, string payload, Uri url, byte[][] bodies, string? encoding, Action<HttpRequestMessage> authorize,
        Func<bool> steady, IngestBenchmarkOptions options, CancellationToken cancellationToken)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = options.Clients, UseProxy = false };
        using var http = new HttpClient(handler);
        long requests = 0, failures = 0;
        var measuring = false;

        async Task ClientAsync(int client, CancellationToken stop)
        {
            for (var i = client; !stop.IsCancellationRequested; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(bodies[i % bodies.Length]) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
                if (encoding is not null)
                {
                    request.Content.Headers.ContentEncoding.Add(encoding);
                }

                authorize(request);
                try
                {
                    using var response = await http.SendAsync(request, stop).ConfigureAwait(false);
                    if (Volatile.Read(ref measuring))
                    {
                        Interlocked.Increment(ref response.IsSuccessStatusCode ? ref requests : ref failures);
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
            }
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var clients = Enumerable.Range(0, options.Clients).Select(c => Task.Run(() => ClientAsync(c, stop.Token), CancellationToken.None)).ToArray();
        await Task.Delay(options.Warmup, cancellationToken).ConfigureAwait(false);
        var settleLimit = Stopwatch.StartNew();
        var settleBudget = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(30).Ticks, options.Duration.Ticks * 10));
        while (!steady() && settleLimit.Elapsed < settleBudget)
        {
            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }

        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        Volatile.Write(ref measuring, true);
        await Task.Delay(options.Duration, cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref measuring, false);
        var elapsed = watch.Elapsed;
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        await stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(clients).ConfigureAwait(false);
        return new IngestBenchmarkResult(backend, payload, options.Clients, requests, requests * options.SpansPerRequest, failures, elapsed, 100 * cpu / elapsed);
    }

    private static ExportTraceServiceRequest OtlpTraces(int spans, ulong seed)
    {
        var resource = new Resource();
        resource.Attributes.Add(Text("service.name", "checkout"));
        resource.Attributes.Add(Text("k8s.pod.name", "checkout-7d9f8-abcde"));
        resource.Attributes.Add(Text("k8s.namespace.name", "payments"));
        var scope = new ScopeSpans { Scope = new InstrumentationScope { Name = "bench" } };
        var random = new Random((int)seed);
        var traceId = new byte[16];
        var spanId = new byte[8];
        for (var i = 0; i < spans; i++)
        {
            if (i % 10 == 0)
            {
                random.NextBytes(traceId);
            }

            random.NextBytes(spanId);
            var span = new OtlpSpan
            {
                TraceId = ByteString.CopyFrom(traceId),
                SpanId = ByteString.CopyFrom(spanId),
                Name = "GET /orders/{id}",
                Kind = OtlpSpan.Types.SpanKind.Server,
                StartTimeUnixNano = 1_700_000_000_000_000_000UL + (ulong)i * 1000,
                EndTimeUnixNano = 1_700_000_000_000_000_000UL + (ulong)i * 1000 + 2_000_000,
            };
            span.Attributes.Add(Text("http.request.method", "GET"));
            span.Attributes.Add(Text("http.route", "/orders/{id}"));
            span.Attributes.Add(new KeyValue { Key = "http.response.status_code", Value = new AnyValue { IntValue = 200 } });
            scope.Spans.Add(span);
        }

        var resourceSpans = new ResourceSpans { Resource = resource };
        resourceSpans.ScopeSpans.Add(scope);
        var request = new ExportTraceServiceRequest();
        request.ResourceSpans.Add(resourceSpans);
        return request;
    }

    private static AgentPayload AgentPayload(int spans, ulong seed)
    {
        var random = new Random((int)seed);
        var tracer = new TracerPayload { Hostname = "node-1", Env = "lab", LanguageName = "go" };
        TraceChunk? chunk = null;
        for (var i = 0; i < spans; i++)
        {
            if (i % 10 == 0)
            {
                chunk = new TraceChunk { Priority = 1 };
                tracer.Chunks.Add(chunk);
            }

            var span = new DatadogSpan
            {
                Service = "checkout", Name = "http.server.request", Resource = "GET /orders/{id}", TraceID = (ulong)random.NextInt64(),
                SpanID = (ulong)random.NextInt64(), Start = 1_700_000_000_000_000_000 + i, Duration = 2_000_000, Type = "web",
            };
            span.Meta.Add("http.method", "GET");
            span.Meta.Add("span.kind", "server");
            span.Metrics.Add("_sampling_priority_v1", 1);
            chunk!.Spans.Add(span);
        }

        var payload = new AgentPayload { HostName = "node-1", Env = "lab" };
        payload.TracerPayloads.Add(tracer);
        return payload;
    }

    private static KeyValue Text(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };

    private static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(bytes);
        }

        return output.ToArray();
    }
}
