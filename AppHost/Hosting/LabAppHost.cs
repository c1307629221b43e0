using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OtelLab.AppHost.Lab;
using OtelLab.Scenarios;
using OtelLab.Scenarios.Monitoring;

namespace OtelLab.AppHost.Hosting;

/// <summary>
/// The lab's Aspire app model, the one composition root: the simulated substrate's components, the lab page, the
/// pods, the what-if commands and the telemetry forwarded to the dashboard. Runs with the dashboard (<c>up</c>,
/// <c>dotnet run --project AppHost</c>) or headless (<c>--port -1</c>, the <c>test</c> verb, Aspire.Hosting.Testing).
/// </summary>
internal static class LabAppHost
{
    /// <summary>The dashboard's default port on 127.0.0.1 (its OTLP endpoints and resource service take the next ones).</summary>
    public const int DefaultPort = 18888;

    public static IDistributedApplicationBuilder CreateBuilder(SimLab lab, LabAppHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(options);
        var headless = options.DashboardPort < 0;
        var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions
        {
            // Stopping waits until DCP has stopped what it started (the dashboard), so nothing outlives the run.
            Args = [.. headless ? [] : LoopbackDashboard(options.DashboardPort), "--DcpPublisher:WaitForResourceCleanup=true", .. options.Args],
            DisableDashboard = headless,
            // Aspire finds DCP and the dashboard through this assembly's metadata (the AppHost SDK writes it), also
            // when the lab runs inside another process (the tests drive the CLI in-process).
            AssemblyName = typeof(LabAppHost).Assembly.GetName().Name,
        });
        var monitor = new LabMonitor(lab, LabComposition.TelemetryFor(lab));
        builder.Services.AddSingleton(monitor);
        var resources = builder.AddSimLab(lab);
        resources.AddWhatIfCommands(lab);
        resources.AddChangeBoardCommands(lab);
        builder.AddLabViews(monitor);
        builder.AddSimulationHealth(lab, options.ForcedTimeScale);
        builder.Services.AddHostedService<ClusterResourcePublisher>();
        builder.Services.AddHostedService<BackendTelemetryForwarder>();
        builder.Services.AddHostedService<LabTelemetryExporter>();
        return builder;
    }

    /// <summary>
    /// The app model headless, for the <c>test</c> verb: no dashboard, Aspire's own progress lines kept out of the
    /// scenario's output (warnings still shown), and the lab's signal handling in charge.
    /// </summary>
    public static DistributedApplication CreateHeadless(SimLab lab, bool forcedTimeScale = false)
    {
        var builder = CreateBuilder(lab, new LabAppHostOptions { DashboardPort = -1, ForcedTimeScale = forcedTimeScale });
        builder.Services.AddLogging(l => l.AddFilter("Aspire", LogLevel.Warning).AddFilter("Microsoft", LogLevel.Warning));
        builder.Services.AddSingleton<IHostLifetime, SignalFreeLifetime>();
        return builder.Build();
    }

    /// <summary>
    /// Aspire refuses plain HTTP without a development certificate unless told the transport may be unsecured; the
    /// lab is a single-user tool on loopback, so its dashboard, OTLP endpoints and resource service listen on
    /// 127.0.0.1 without TLS or a login token. Settings already in the environment (a launch profile) win.
    /// </summary>
    internal static IEnumerable<string> LoopbackDashboard(int port)
    {
        var ports = port == 0 ? FreePorts(4) : [port, port + 1, port + 2, port - 1];
        (string Name, string Value)[] settings =
        [
            ("ASPNETCORE_URLS", $"http://127.0.0.1:{ports[0]}"),
            ("ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL", $"http://127.0.0.1:{ports[1]}"),
            ("ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL", $"http://127.0.0.1:{ports[2]}"),
            ("ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL", $"http://127.0.0.1:{ports[3]}"),
            ("ASPIRE_ALLOW_UNSECURED_TRANSPORT", "true"),
            ("ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS", "true"),
        ];
        return settings.Where(s => string.IsNullOrEmpty(Environment.GetEnvironmentVariable(s.Name))).Select(s => $"--{s.Name}={s.Value}");
    }

    /// <summary>
    /// Why the dashboard cannot take <paramref name="port"/> and the three beside it (OTLP gRPC P+1, OTLP HTTP P+2,
    /// resource service P−1), or null when it can: said before anything starts rather than as Aspire's bind failure.
    /// </summary>
    public static string? DashboardPortProblem(int port)
    {
        if (port is -1 or 0)
        {
            return null;
        }

        if (port is < 2 or > 65533)
        {
            return "must be -1, 0, or a port from 2 to 65533 (the dashboard also takes the port before it and the two after it)";
        }

        foreach (var p in new[] { port, port + 1, port + 2, port - 1 })
        {
            try
            {
                var probe = new TcpListener(IPAddress.Loopback, p);
                probe.Start();
                probe.Stop();
            }
            catch (SocketException)
            {
                return $"127.0.0.1:{p} is in use (another lab, or another program)";
            }
        }

        return null;
    }

    private static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ =>
        {
            var l = new TcpListener(IPAddress.Loopback, 0);
            l.Start();
            return l;
        }).ToList();
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        listeners.ForEach(l => l.Stop());
        return ports;
    }

    /// <summary>The dashboard's address as the built host configured it (null when headless).</summary>
    public static string? DashboardUrl(DistributedApplication app, LabAppHostOptions options) =>
        options.DashboardPort < 0 ? null : app.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()["ASPNETCORE_URLS"]?.Split(';')[0];
}
