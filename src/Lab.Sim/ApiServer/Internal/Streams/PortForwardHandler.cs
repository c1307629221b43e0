using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using k8s.Models;
using Microsoft.AspNetCore.Http;
using OtelLab.Sim.Cluster;

namespace OtelLab.Sim.ApiServer.Internal.Streams;

/// <summary>
/// <c>…/pods/{name}/portforward</c>: SPDY/3.1 with <c>portforward.k8s.io</c>, natively (kubectl ≤1.30) or tunnelled
/// in a WebSocket with subprotocol <c>SPDY/3.1+portforward.k8s.io</c> (kubectl 1.31+; apiserver
/// pkg/util/proxy/streamtunnel.go). Each forwarded connection is a pair of streams sharing a <c>requestID</c> — an
/// error stream and a data stream naming the <c>port</c> — and reaches the pod's own address on the lab's loopback
/// network (kubelet pkg/kubelet/cri/streaming/portforward/httpstream.go). KubernetesClient's channel form is
/// <see cref="ChannelPortForward"/>.
/// </summary>
internal static class PortForwardHandler
{
    private const string Protocol = "portforward.k8s.io";
    private const string TunnelProtocol = "SPDY/3.1+portforward.k8s.io";

    public static async Task ServeAsync(HttpContext context, SimulatedCluster cluster, string ns, string name, CancellationToken stopping)
    {
        var pod = cluster.Get<V1Pod>(ns, name) ?? throw new ClusterApiException(404, "NotFound", $"pods \"{name}\" not found");
        if (!IPAddress.TryParse(pod.Status?.PodIP, out var address) || !IPAddress.IsLoopback(address))
        {
            throw new ClusterApiException(400, "BadRequest", $"pod {name} does not have a host assigned");
        }

        SpdyConnection? connection = null;
        if (context.WebSockets.IsWebSocketRequest)
        {
            if (!context.WebSockets.WebSocketRequestedProtocols.Contains(TunnelProtocol) && context.Request.Query.ContainsKey("ports"))
            {
                await ChannelPortForward.ServeAsync(context, address, pod, stopping).ConfigureAwait(false);
                return;
            }

            if (!context.WebSockets.WebSocketRequestedProtocols.Contains(TunnelProtocol))
            {
                throw new ClusterApiException(400, "BadRequest",
                    $"requested protocol(s) are not supported: [{string.Join(' ', context.WebSockets.WebSocketRequestedProtocols)}]; supports [{TunnelProtocol}]");
            }

            // .NET refuses a subprotocol with "/" (not an RFC 6455 token), so the header is set by hand; client-go
            // requires the exact echo (tools/portforward/tunneling_dialer.go).
            context.Response.Headers.SecWebSocketProtocol = TunnelProtocol;
            var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
            connection = new SpdyConnection(new WebSocketTunnelStream(socket));
            connection.Start(stopping);
        }
        else if (SpdyUpgrade.Requested(context))
        {
            connection = await SpdyUpgrade.AcceptAsync(context, [Protocol], stopping).ConfigureAwait(false);
        }
        else
        {
            throw new ClusterApiException(400, "BadRequest", "Upgrade request required");
        }

        if (connection is null)
        {
            return;
        }

        await using (connection.ConfigureAwait(false))
        {
            await ForwardAllAsync(connection, address, pod, stopping).ConfigureAwait(false);
        }
    }

    private static async Task ForwardAllAsync(SpdyConnection connection, IPAddress address, V1Pod pod, CancellationToken stopping)
    {
        var pending = new Dictionary<string, (SpdyStream? Error, SpdyStream? Data)>(StringComparer.Ordinal);
        var running = new List<Task>();
        using var done = CancellationTokenSource.CreateLinkedTokenSource(stopping, connection.Closed);
        try
        {
            await foreach (var stream in connection.Opened.ReadAllAsync(done.Token).ConfigureAwait(false))
            {
                var id = stream.Header("requestID") ?? stream.Id.ToString(CultureInfo.InvariantCulture);
                var pair = pending.GetValueOrDefault(id);
                pair = stream.Header("streamType") == "error" ? pair with { Error = stream } : pair with { Data = stream };
                if (pair is { Error: { } error, Data: { } data })
                {
                    pending.Remove(id);
                    running.Add(ForwardAsync(error, data, address, pod, done.Token));
                }
                else
                {
                    pending[id] = pair;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        await done.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(running).ConfigureAwait(false);
    }

    private static async Task ForwardAsync(SpdyStream error, SpdyStream data, IPAddress address, V1Pod pod, CancellationToken cancellationToken)
    {
        var portText = data.Header("port");
        try
        {
            if (!ushort.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port == 0)
            {
                // upstream: portforward/httpstream.go requestID/port checks — "invalid port".
                await error.WriteAsync(Encoding.UTF8.GetBytes($"unable to parse '{portText}' as a port"), cancellationToken).ConfigureAwait(false);
                return;
            }

            using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                // upstream: kubelet portforward — "error forwarding port %d to pod %s, uid %v: %v".
                var message = $"error forwarding port {port} to pod {pod.Metadata.Name}, uid {pod.Metadata.Uid}: dial tcp {address}:{port}: connect: {Describe(e)}";
                await error.WriteAsync(Encoding.UTF8.GetBytes(message), cancellationToken).ConfigureAwait(false);
                return;
            }

            using var network = new NetworkStream(socket, ownsSocket: false);
            var up = CopyUpAsync(data.Incoming, network, socket, cancellationToken);
            var down = CopyDownAsync(network, data, cancellationToken);
            await Task.WhenAll(up, down).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // the client or the pod went away mid-copy
        }
        finally
        {
            await error.CloseAsync(CancellationToken.None).ConfigureAwait(false);
            await data.CloseAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static async Task CopyUpAsync(Stream from, NetworkStream to, Socket socket, CancellationToken cancellationToken)
    {
        try
        {
            await from.CopyToAsync(to, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (socket.Connected)
            {
                socket.Shutdown(SocketShutdown.Send);
            }
        }
    }

    private static async Task CopyDownAsync(NetworkStream from, SpdyStream to, CancellationToken cancellationToken)
    {
        var buffer = new byte[32 * 1024];
        int n;
        while ((n = await from.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            await to.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
        }

        await to.CloseAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string Describe(SocketException e) => e.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.TimedOut => "connection timed out",
        _ => e.Message,
    };
}
