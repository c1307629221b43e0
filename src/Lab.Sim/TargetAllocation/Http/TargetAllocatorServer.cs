using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OtelLab.Sim.Networking;

namespace OtelLab.Sim.TargetAllocation.Http;

/// <summary>
/// Serves <see cref="TargetAllocatorApi"/> over HTTP/1.1 with Kestrel on a loopback address (in the sim, the TA pod's
/// IP and port 8080; upstream listens on <c>:8080</c>).
/// </summary>
public sealed class TargetAllocatorServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TargetAllocatorServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    /// <summary>The bound address, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Starts serving; <paramref name="endpoint"/> must be a loopback address (port 0 picks a free port).</summary>
    public static async Task<TargetAllocatorServer> StartAsync(TargetAllocator allocator, IPEndPoint endpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(allocator);
        ArgumentNullException.ThrowIfNull(endpoint);
        if (!IPAddress.IsLoopback(endpoint.Address))
        {
            throw new ArgumentException($"the lab binds loopback addresses only (127.0.0.0/8, ::1), not {endpoint.Address}", nameof(endpoint));
        }

        var builder = LoopbackWebHost.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(options => options.Listen(endpoint));
        var app = builder.Build();
        LoopbackWebHost.MeterRequests(app);
        var api = new TargetAllocatorApi(allocator);
        app.Run(context => ServeAsync(api, context));
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new TargetAllocatorServer(app, new Uri(address.EndsWith('/') ? address : address + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task ServeAsync(TargetAllocatorApi api, HttpContext context)
    {
        var rawTarget = context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget;
        var response = api.Handle(context.Request.Method, rawTarget);
        context.Response.StatusCode = response.StatusCode;
        if (response.ContentType is not null)
        {
            context.Response.ContentType = response.ContentType;
        }

        if (response.Body.Length > 0)
        {
            var bytes = response.Utf8Body;
            context.Response.ContentLength = bytes.Length;
            await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
        }
    }
}
