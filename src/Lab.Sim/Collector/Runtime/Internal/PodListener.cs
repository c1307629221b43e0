using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OtelLab.Sim.Networking;

namespace OtelLab.Sim.Collector.Runtime.Internal;

/// <summary>
/// A Kestrel listener on the pod's address (the pattern of Lab.Backends' BackendHost): no request logging (bodies and
/// headers carry tokens), HTTP/2 only for gRPC, and for a pod-local endpoint a connection filter that drops
/// connections not coming from the pod address.
/// </summary>
internal sealed class PodListener : IAsyncDisposable
{
    private readonly WebApplication _app;

    private PodListener(WebApplication app)
    {
        _app = app;
    }

    public static async Task<PodListener> StartAsync(
        PodEndpoint endpoint, HttpProtocols protocols, Action<IServiceCollection> services, Action<WebApplication> map, CancellationToken cancellationToken)
    {
        if (!IPAddress.IsLoopback(endpoint.Address))
        {
            throw new InvalidOperationException($"the lab binds only to 127.0.0.0/8, not {endpoint.Address}");
        }

        var builder = LoopbackWebHost.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options =>
        {
            options.AddServerHeader = false;
            options.Limits.MaxRequestBodySize = 64L * 1024 * 1024;
            options.Listen(endpoint.Address, endpoint.Port, listen =>
            {
                listen.Protocols = protocols;
                if (endpoint.PodLocalOnly)
                {
                    var pod = endpoint.Address;
                    listen.Use(next => async connection =>
                    {
                        if (connection.RemoteEndPoint is IPEndPoint remote && !remote.Address.Equals(pod))
                        {
                            connection.Abort(new ConnectionAbortedException("connection refused: the endpoint listens on the pod's loopback"));
                            return;
                        }

                        await next(connection).ConfigureAwait(false);
                    });
                }
            });
        });
        services(builder.Services);
        var app = builder.Build();
        LoopbackWebHost.MeterRequests(app);
        map(app);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new Pipeline.CollectorStartException($"listen tcp {endpoint.Address}:{endpoint.Port}: bind: address already in use", e);
        }

        return new PodListener(app);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }
}
