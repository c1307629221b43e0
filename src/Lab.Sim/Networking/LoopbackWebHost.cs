using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OtelLab.Model.Diagnostics;

namespace OtelLab.Sim.Networking;

/// <summary>
/// The web host every emulated HTTP component of the lab listens with (collector receivers, the Target Allocator, the
/// dashboard): Kestrel and routing only — no configuration files, no logging providers.
/// </summary>
/// <remarks>
/// Why not <c>WebApplication.CreateSlimBuilder()</c>: it adds <c>appsettings.json</c> with reload-on-change, which
/// starts a recursive FileSystemWatcher on the content root (the working directory) for every host. A lab has one host
/// per collector pod port; profiling a 9,000-target <c>up</c> showed those watchers enumerating the repository tree
/// (node_modules, bin, obj) as the largest share of CPU during start-up.
/// </remarks>
public static class LoopbackWebHost
{
    public static WebApplicationBuilder CreateBuilder()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.Services.AddRoutingCore();
        return builder;
    }

    /// <summary>
    /// Runs each request of <paramref name="app"/> for the component that is building it (Kestrel starts requests
    /// without the builder's execution context, so the component is re-entered per request; see ComponentCpu).
    /// </summary>
    public static void MeterRequests(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (ComponentCpu.Current is { } component)
        {
            app.Use(next => http => ComponentCpu.RunAsync(component, () => next(http)));
        }
    }
}
