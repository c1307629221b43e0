using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using k8s.Models;
using Microsoft.AspNetCore.Http;

namespace OtelLab.Sim.ApiServer.Internal.Streams;

/// <summary>
/// Port-forward over the WebSocket channel protocol (KubernetesClient's <c>?ports=</c> form): port i uses channel 2i
/// for data and 2i+1 for errors, and the server's first message on each names the port as a little-endian uint16
/// (kubelet pkg/kubelet/cri/streaming/portforward/websocket.go handleWebSocketStreams). One WebSocket is one
/// connection to each port; it ends when the pod or the client closes.
/// </summary>
internal static class ChannelPortForward
{
    public static readonly string[] Protocols = ["v4.channel.k8s.io", "portforward.k8s.io"];

    public static async Task ServeAsync(HttpContext context, IPAddress address, V1Pod pod, CancellationToken stopping)
    {
        var ports = new List<ushort>();
        foreach (var text in context.Request.Query["ports"])
        {
            // upstream: portforward/websocket.go extractPortForwardTarget — each must be a valid port number.
            ports.Add(ushort.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p > 0 ? p
                : throw new Cluster.ClusterApiException(400, "BadRequest", $"unable to parse \"{text}\" as a port: invalid port"));
        }

        if (ports.Count == 0)
        {
            throw new Cluster.ClusterApiException(400, "BadRequest", "query parameter \"port\" is required");
        }

        var offered = context.WebSockets.WebSocketRequestedProtocols;
        var protocol = offered.FirstOrDefault(Protocols.Contains);
        using var socket = await context.WebSockets.AcceptWebSocketAsync(protocol).ConfigureAwait(false);
        using var done = CancellationTokenSource.CreateLinkedTokenSource(stopping, context.RequestAborted);
        var channels = new WebSocketChannels(socket, v5: false);
        var connections = new List<Socket>();
        try
        {
            for (var i = 0; i < ports.Count; i++)
            {
                var port = new byte[] { (byte)ports[i], (byte)(ports[i] >> 8) };
                await channels.SendAsync((byte)(2 * i), port, done.Token).ConfigureAwait(false);
                await channels.SendAsync((byte)((2 * i) + 1), port, done.Token).ConfigureAwait(false);
            }

            var pumps = new List<Task>();
            for (var i = 0; i < ports.Count; i++)
            {
                var tcp = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                connections.Add(tcp);
                try
                {
                    await tcp.ConnectAsync(new IPEndPoint(address, ports[i]), done.Token).ConfigureAwait(false);
                }
                catch (SocketException e)
                {
                    var message = $"error forwarding port {ports[i]} to pod {pod.Metadata.Name}, uid {pod.Metadata.Uid}: dial tcp {address}:{ports[i]}: connect: {e.SocketErrorCode.ToString().ToLowerInvariant()}";
                    await channels.SendAsync((byte)((2 * i) + 1), Encoding.UTF8.GetBytes(message), done.Token).ConfigureAwait(false);
                    continue;
                }

                var data = (byte)(2 * i);
                pumps.Add(PumpDownAsync(tcp, channels, data, done.Token));
            }

            var receiving = ReceiveAsync(socket, connections, done.Token);
            await Task.WhenAny(Task.WhenAll(pumps), receiving).ConfigureAwait(false);
            if (socket.State == WebSocketState.Open)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, string.Empty, done.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            // either side went away
        }
        finally
        {
            foreach (var tcp in connections)
            {
                tcp.Dispose();
            }
        }
    }

    private static async Task PumpDownAsync(Socket tcp, WebSocketChannels channels, byte channel, CancellationToken cancellationToken)
    {
        var buffer = new byte[32 * 1024];
        int n;
        while ((n = await tcp.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            await channels.SendAsync(channel, buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
        }
    }

    // Client messages are [channel][payload]; data channel 2i goes to port i's connection.
    private static async Task ReceiveAsync(WebSocket socket, List<Socket> connections, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        while (socket.State == WebSocketState.Open)
        {
            var result = await socket.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return;
            }

            message.Write(buffer, 0, result.Count);
            if (!result.EndOfMessage)
            {
                continue;
            }

            var bytes = message.ToArray();
            message.SetLength(0);
            if (bytes.Length > 1 && bytes[0] % 2 == 0 && bytes[0] / 2 < connections.Count && connections[bytes[0] / 2].Connected)
            {
                await connections[bytes[0] / 2].SendAsync(bytes.AsMemory(1), cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
