using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace OtelLab.Sim.ApiServer.Internal.Streams;

/// <summary>
/// The SPDY/3.1 upgrade of a streaming request: <c>Upgrade: SPDY/3.1</c> with one <c>X-Stream-Protocol-Version</c>
/// per protocol the client speaks; the server answers 101 with the one it chose
/// (apimachinery pkg/util/httpstream/httpstream.go Handshake, pkg/util/httpstream/spdy/upgrade.go).
/// </summary>
internal static class SpdyUpgrade
{
    public const string ProtocolHeader = "X-Stream-Protocol-Version";

    public static bool Requested(HttpContext context) =>
        context.Request.Headers.Upgrade.ToString().Equals("SPDY/3.1", StringComparison.OrdinalIgnoreCase);

    /// <summary>Upgrades and starts the connection, or answers as upstream does and returns null.</summary>
    public static async Task<SpdyConnection?> AcceptAsync(HttpContext context, IReadOnlyList<string> supported, CancellationToken stopping)
    {
        var offered = context.Request.Headers[ProtocolHeader]
            .SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .ToList();
        var chosen = offered.FirstOrDefault(supported.Contains);
        if (chosen is null)
        {
            // upstream: httpstream.go Handshake — 403 and the server's versions in X-Accepted-Stream-Protocol-Versions.
            context.Response.StatusCode = 403;
            context.Response.Headers["X-Accepted-Stream-Protocol-Versions"] = string.Join(',', supported);
            await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(
                $"unable to upgrade: unable to negotiate protocol: client supports [{string.Join(' ', offered)}], server supports [{string.Join(' ', supported)}]"),
                context.RequestAborted).ConfigureAwait(false);
            return null;
        }

        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        if (upgrade is not { IsUpgradableRequest: true })
        {
            // upstream: spdy/upgrade.go UpgradeResponse — "unable to upgrade: missing upgrade headers in request".
            context.Response.StatusCode = 400;
            await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes("unable to upgrade: missing upgrade headers in request"), context.RequestAborted).ConfigureAwait(false);
            return null;
        }

        context.Response.Headers[ProtocolHeader] = chosen;
        context.Response.Headers.Upgrade = "SPDY/3.1";
        var stream = await upgrade.UpgradeAsync().ConfigureAwait(false);
        var connection = new SpdyConnection(stream);
        connection.Start(stopping);
        return connection;
    }
}
