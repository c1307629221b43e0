using System.Net.Sockets;

namespace OtelLab.K3s;

/// <summary>
/// Asks the Docker engine on its unix socket (<c>DOCKER_HOST=unix://…</c> or <c>/var/run/docker.sock</c>) whether it
/// answers, and whether it holds an image. Only the local socket is probed: a <c>tcp://</c> DOCKER_HOST is left to
/// Testcontainers to reach.
/// </summary>
public sealed class DockerEngineProbe
{
    private const string DefaultSocket = "/var/run/docker.sock";

    public DockerEngineProbe(string? dockerHost = null) =>
        DockerHost = dockerHost ?? Environment.GetEnvironmentVariable("DOCKER_HOST");

    public string? DockerHost { get; }

    /// <summary>The socket probed, or null when DOCKER_HOST names a non-unix endpoint.</summary>
    public string? SocketPath => DockerHost switch
    {
        null or "" => DefaultSocket,
        var h when h.StartsWith("unix://", StringComparison.Ordinal) => h["unix://".Length..],
        _ => null,
    };

    public string Describe() => DockerHost is null or "" ? $"no engine socket at {DefaultSocket} and DOCKER_HOST is unset" : $"DOCKER_HOST={DockerHost} does not answer";

    /// <summary>True when the engine answers <c>GET /_ping</c> within the timeout.</summary>
    public async Task<bool> IsReachableAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (SocketPath is null)
        {
            return true; // a remote engine: Testcontainers reports its own connection errors
        }

        if (!File.Exists(SocketPath))
        {
            return false;
        }

        return await GetAsync("/_ping", timeout, cancellationToken).ConfigureAwait(false) is { IsSuccessStatusCode: true };
    }

    /// <summary>True when the engine holds the image (<c>GET /images/NAME/json</c> is 200).</summary>
    public async Task<bool> HasImageAsync(string image, TimeSpan timeout, CancellationToken cancellationToken) =>
        SocketPath is null || await GetAsync($"/images/{image}/json", timeout, cancellationToken).ConfigureAwait(false) is { IsSuccessStatusCode: true };

    private async Task<HttpResponseMessage?> GetAsync(string path, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath!), ct).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        using var client = new HttpClient(handler) { Timeout = timeout };
        try
        {
            // the host part is ignored on a unix socket; "localhost" keeps the request loopback-shaped
            return await client.GetAsync(new Uri($"http://localhost{path}"), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or SocketException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }
}
