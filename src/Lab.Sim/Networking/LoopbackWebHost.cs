using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

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
}
