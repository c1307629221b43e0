using System.Net;
using System.Net.Sockets;
using k8s;

namespace OtelLab.Scenarios.Cluster;

/// <summary>
/// A local loopback listener whose every connection is forwarded to a pod's port through the API server
/// (KubernetesClient's WebSocket port-forward, one WebSocket per connection). Dispose stops it.
/// </summary>
public sealed class PortForward : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    internal PortForward(IKubernetes client, string ns, string pod, int port)
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        LocalEndpoint = (IPEndPoint)_listener.LocalEndpoint;
        _accepting = AcceptAsync(client, ns, pod, port, _stop.Token);
    }

    /// <summary>Where to connect: 127.0.0.1 and the port chosen.</summary>
    public IPEndPoint LocalEndpoint { get; }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        try
        {
            await _accepting.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _listener.Dispose();
        _stop.Dispose();
    }

    private async Task AcceptAsync(IKubernetes client, string ns, string pod, int port, CancellationToken cancellationToken)
    {
        var connections = new List<Task>();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var local = await _listener.AcceptTcpClientAsync(cancellationToken).ConfigureAwait(false);
                connections.Add(ForwardAsync(client, ns, pod, port, local, cancellationToken));
            }
        }
        finally
        {
            await Task.WhenAll(connections).ConfigureAwait(false);
        }
    }

    private static async Task ForwardAsync(IKubernetes client, string ns, string pod, int port, TcpClient local, CancellationToken cancellationToken)
    {
        using (local)
        {
            try
            {
                using var socket = await client.WebSocketNamespacedPodPortForwardAsync(pod, ns, [port], "v4.channel.k8s.io", cancellationToken: cancellationToken).ConfigureAwait(false);
                using var demuxer = new StreamDemuxer(socket, StreamType.PortForward);
                demuxer.Start();
                await using var remote = demuxer.GetStream((byte?)0, (byte?)0);
                var stream = local.GetStream();
                var up = stream.CopyToAsync(remote, cancellationToken);
                var down = remote.CopyToAsync(stream, cancellationToken);
                await Task.WhenAny(up, down).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or System.Net.WebSockets.WebSocketException or k8s.Autorest.HttpOperationException)
            {
                // the connection ends; the next one tries again
            }
        }
    }
}
