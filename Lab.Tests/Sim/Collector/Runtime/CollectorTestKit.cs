using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OtelLab.Model.Collector;
using OtelLab.Sim.Collector.Metrics;
using OtelLab.Sim.Collector.Pipeline;
using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Tests.Sim.Collector.Runtime;

/// <summary>
/// Test doubles for the collector runtime: a capturing exporter registered as type <c>nop</c> (present in every
/// distribution), and a programmable OTLP/HTTP endpoint standing in for a backend. Addresses come from 127.0.9.x,
/// outside the sim's address plan, one per test, so these tests can run in parallel.
/// </summary>
internal static class CollectorTestKit
{
    public static IPAddress Address(int last) => IPAddress.Parse($"127.0.9.{last}");

    public static IReadOnlyList<IComponentFactory> CatalogWith(CaptureExporterFactory capture) => [.. ComponentCatalog.All, capture];
}

/// <summary>An exporter of type <c>nop</c> that keeps every span and point it receives.</summary>
internal sealed class CaptureExporterFactory : IComponentFactory
{
    public ConcurrentQueue<TraceSpan> Spans { get; } = new();

    public ConcurrentQueue<MetricPoint> Points { get; } = new();

    public ConcurrentQueue<ClientInfo?> Clients { get; } = new();

    public string Type => "nop";

    public ComponentKind Kind => ComponentKind.Exporter;

    public IReadOnlySet<string> Signals { get; } = new HashSet<string> { "traces", "metrics" };

    public ICollectorComponent Create(ComponentCreateContext context) => new Capture(this);

    private sealed class Capture(CaptureExporterFactory owner) : ICollectorComponent, ITraceConsumer, IMetricConsumer
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task ShutdownAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        public ValueTask ConsumeAsync(IReadOnlyList<TraceSpan> spans, CancellationToken cancellationToken)
        {
            owner.Clients.Enqueue(ClientInfo.Current);
            foreach (var s in spans)
            {
                owner.Spans.Enqueue(s);
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask ConsumeAsync(IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken)
        {
            foreach (var p in points)
            {
                owner.Points.Enqueue(p);
            }

            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>An OTLP/HTTP endpoint answering each request with the next programmed response (then 200 with an empty body).</summary>
internal sealed class StubOtlpServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Func<HttpContext, Task>> _responses = new();

    private StubOtlpServer(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    public int Requests => _requests;

    private int _requests;

    public static async Task<StubOtlpServer> StartAsync(IPAddress address, int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(address, port));
        var app = builder.Build();
        var server = new StubOtlpServer(app, new Uri($"http://{address}:{port}"));
        app.MapPost("/v1/traces", async context =>
        {
            Interlocked.Increment(ref server._requests);
            if (server._responses.TryDequeue(out var respond))
            {
                await respond(context);
                return;
            }

            context.Response.StatusCode = 200;
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        return server;
    }

    public void Then(Func<HttpContext, Task> respond) => _responses.Enqueue(respond);

    public void ThenStatus(int status) => Then(context =>
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    });

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
