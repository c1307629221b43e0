using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OtelLab.Model.Diagnostics;

namespace OtelLab.Backends.Hosting.Internal;

/// <summary>
/// A Kestrel listener on a loopback address for one mock backend. It can be closed and reopened on the same port
/// (the "refuse connections" fault); the endpoints and their state live outside it and survive restarts.
/// </summary>
internal sealed class BackendHost : IAsyncDisposable
{
    private readonly IPAddress _address;
    private readonly Action<WebApplication> _mapEndpoints;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private WebApplication? _app;
    private ITimer? _reopen;
    private int _port;
    private bool _disposed;

    public BackendHost(IPAddress address, int port, TimeProvider time, Action<WebApplication> mapEndpoints)
    {
        if (!IPAddress.IsLoopback(address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
        {
            throw new ArgumentException($"Mock backends bind only to 127.0.0.0/8; '{address}' is not a loopback IPv4 address.", nameof(address));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        _address = address;
        _port = port;
        _time = time;
        _mapEndpoints = mapEndpoints;
    }

    /// <summary>The CPU time this backend's request handling used.</summary>
    public ComponentCpu Cpu { get; init; } = new("backend");

    public bool IsListening => Volatile.Read(ref _app) is not null;

    /// <summary>http://address:port/ (the bound port once started, even when 0 was asked for).</summary>
    public Uri BaseAddress => new($"http://{_address}:{_port}/");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_app is not null)
            {
                return;
            }

            // Not CreateSlimBuilder: its appsettings.json reload watches the working directory recursively (see
            // OtelLab.Sim.Networking.LoopbackWebHost); Kestrel and routing are all a backend needs.
            var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
            builder.Services.AddRoutingCore();
            // Request bodies may carry tokens and payloads: no request logging at all, only warnings from the host.
            builder.Logging.ClearProviders();
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.WebHost.UseKestrel(options =>
            {
                options.Listen(_address, _port);
                options.AddServerHeader = false;
                // Our endpoints enforce the vendors' own limits (and answer 413 themselves) below this ceiling.
                options.Limits.MaxRequestBodySize = 64L * 1024 * 1024;
            });
            builder.Services.AddSingleton(_time);
            var app = builder.Build();
            // Each request runs for this backend (Kestrel starts requests without the starter's execution context).
            var cpu = Cpu;
            app.Use(next => http => ComponentCpu.RunAsync(cpu, () => next(http)));
            _mapEndpoints(app);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var bound = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
            _port = new Uri(bound).Port;
            _app = app;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await StopCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Closes the listener and schedules its reopening on the same port after <paramref name="period"/>.</summary>
    public async Task RefuseConnectionsAsync(TimeSpan period, CancellationToken cancellationToken)
    {
        await StopAsync(cancellationToken).ConfigureAwait(false);
        var previous = Interlocked.Exchange(ref _reopen, _time.CreateTimer(
            static state => _ = ((BackendHost)state!).ReopenAsync(),
            this,
            period,
            Timeout.InfiniteTimeSpan));
        previous?.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            _disposed = true;
            _reopen?.Dispose();
            await StopCoreAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }

        _gate.Dispose();
    }

    private async Task ReopenAsync()
    {
        try
        {
            await StartAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // Disposed during the outage: nothing to reopen.
        }
        catch (IOException)
        {
            // The port was taken meanwhile; the backend stays down (visible through IsListening).
        }
    }

    private async Task StopCoreAsync(CancellationToken cancellationToken)
    {
        var app = _app;
        _app = null;
        if (app is not null)
        {
            await app.StopAsync(cancellationToken).ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
        }
    }
}
