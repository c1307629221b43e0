using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OtelLab.Scenarios.Monitoring;
using OtelLab.Sim.Networking;

namespace OtelLab.AppHost.LabPage;

/// <summary>
/// The lab page on a free loopback port, linked from the Aspire dashboard: one self-contained page (inline
/// script and SVG, nothing from a CDN) over JSON endpoints that read the <see cref="LabMonitor"/>.
/// </summary>
internal sealed class LabPageServer : IAsyncDisposable
{

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private readonly WebApplication _app;

    private LabPageServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<LabPageServer> StartAsync(LabMonitor monitor, int port, CancellationToken cancellationToken)
    {
        var builder = LoopbackWebHost.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        Map(app, monitor);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"the dashboard cannot listen on 127.0.0.1:{port}: {e.Message}. Choose another --port (0 = any free port).", e);
        }

        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LabPageServer(app, new Uri(bound.EndsWith('/') ? bound : bound + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static void Map(WebApplication app, LabMonitor monitor)
    {
        var lab = monitor.Lab;
        app.MapGet("/", () => Results.Content(LabPage.Html, "text/html; charset=utf-8"));
        app.MapGet("/api/resources", () => Results.Json(new
        {
            scenario = lab.Scenario.Name,
            startupSeconds = lab.StartupTime?.TotalSeconds,
            firstScrapeRoundSeconds = lab.FirstScrapeRound.IsCompletedSuccessfully ? lab.FirstScrapeRound.Result.TotalSeconds : (double?)null,
            resources = lab.Graph.Snapshots().Select(r => new { r.Name, r.Kind, r.State, r.Reason, waitsFor = r.Dependencies, readyAfterMs = r.ReadyAfter?.TotalMilliseconds }),
            pods = monitor.Latest.Pods,
            events = lab.Graph.Events().TakeLast(200),
        }, Json));
        app.MapGet("/api/shards", () => Results.Json(new { shards = monitor.Latest.Shards }, Json));
        app.MapGet("/api/pipeline", () => Results.Json(new
        {
            tiers = monitor.Latest.Tiers,
            keepRates = monitor.Latest.KeepRates.Select(k => new { k.Class, k.Traces, k.Kept, k.Rate }),
            history = monitor.History().TakeLast(300).Select(p => new { at = p.At, series = p.Series }),
        }, Json));
        app.MapGet("/api/backends", () => Results.Json(new
        {
            backends = monitor.Latest.Backends,
            services = lab.Backends.ToDictionary(b => b.Name, b => b.Captures.Summary().Services),
            rejections = lab.Backends.SelectMany(b => b.Captures.Rejections().TakeLast(50))
                .Select(r => new { r.Backend, signal = r.Signal.ToString(), r.HttpStatus, r.Reason, r.Detail, r.ItemCount, r.ServiceName, credential = r.Credential.Masked, r.At }),
            credentials = lab.Backends.ToDictionary(b => b.Name, b => b.Captures.Credentials()),
        }, Json));
        app.MapGet("/api/findings", () => Results.Json(new
        {
            findings = monitor.Latest.Findings.Select(f => new
            {
                f.RuleId, f.Severity, f.Object, file = f.Location.File, line = f.Location.Line, f.Message, f.Evidence, f.Why, f.Fix,
            }),
        }, Json));
        app.MapGet("/api/logs/{**name}", (string name) =>
        {
            if (lab.Graph.LogOf(name) is { } log)
            {
                return Results.Json(new { resource = name, lines = log.Lines() }, Json);
            }

            var parts = name.Split('/');
            if (parts.Length == 2 && lab.Pods().FirstOrDefault(p => p.Metadata.NamespaceProperty == parts[0] && p.Metadata.Name == parts[1]) is { } pod)
            {
                var lines = (pod.Spec.InitContainers ?? []).Concat(pod.Spec.Containers)
                    .SelectMany(c => (lab.ContainerLog(parts[0], parts[1], c.Name)?.Lines() ?? []).Select(l => $"[{c.Name}] {l}"))
                    .ToList();
                return Results.Json(new { resource = name, lines }, Json);
            }

            return Results.Json(new { error = $"no resource or pod named '{name}'", resources = lab.Graph.Resources.Select(r => r.Name) }, Json, statusCode: 404);
        });
    }
}
