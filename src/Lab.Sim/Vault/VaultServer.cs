using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OtelLab.Sim.Vault.Internal;

namespace OtelLab.Sim.Vault;

/// <summary>
/// The lab's Vault: a dev-mode server (unsealed, KV v2 at <c>secret/</c>, Kubernetes auth at
/// <c>auth/kubernetes/</c>, a root token) speaking the real Vault HTTP API on a loopback address. What it implements
/// is the subset the guide's pipeline uses — KV v2 data, ACL policies, Kubernetes login bound to ServiceAccount +
/// namespace, token TTLs, <c>sys/health</c> — each following upstream source (see the types under Internal/).
/// </summary>
public sealed class VaultServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly VaultCore _core;

    private VaultServer(WebApplication app, VaultCore core, Uri address)
    {
        _app = app;
        _core = core;
        Address = address;
    }

    /// <summary><c>http://127.x.y.z:PORT/</c>, what <c>VAULT_ADDR</c> would hold.</summary>
    public Uri Address { get; }

    /// <summary>The dev server's root token, for setup (policies, roles, secrets). Never log it.</summary>
    public string RootToken => _core.RootToken;

    public static async Task<VaultServer> StartAsync(VaultServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Address.AddressFamily != AddressFamily.InterNetwork || options.Address.GetAddressBytes()[0] != 127)
        {
            throw new ArgumentException($"the lab's Vault listens on 127.0.0.0/8 only, not {options.Address}", nameof(options));
        }

        var loggerFactory = options.LoggerFactory ?? NullLoggerFactory.Instance;
        var logger = loggerFactory.CreateLogger("OtelLab.Sim.Vault");
        var core = new VaultCore(options.TokenReviewer, options.TimeProvider, logger, options.RootToken);
        var endpoint = new VaultHttpEndpoint(core, options, logger);

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(options.Address, options.Port));
        builder.Services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        var app = builder.Build();
        app.Run(endpoint.HandleAsync);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"the lab's Vault could not listen on {options.Address}:{options.Port}: {e.Message}", e);
        }

        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var address = new Uri(bound.EndsWith('/') ? bound : bound + "/");
        logger.LogInformation("vault: dev server listening on {Address} (KV v2 at secret/, kubernetes auth at auth/kubernetes/)", address);
        return new VaultServer(app, core, address);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
