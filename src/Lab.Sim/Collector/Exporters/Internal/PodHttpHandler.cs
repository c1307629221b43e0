using System.Net;
using System.Net.Sockets;
using OtelLab.Sim.Kubelet;
using OtelLab.Sim.Networking;

namespace OtelLab.Sim.Collector.Exporters.Internal;

/// <summary>
/// An HTTP handler whose connections leave from the pod: host names resolve through the cluster's DNS
/// (<see cref="ContainerContext.Resolver"/>, never the OS resolver) and the socket is bound to the pod address, so the
/// receiving side sees the pod IP as the peer (what k8sattributes' connection association relies on).
/// </summary>
internal static class PodHttpHandler
{
    public static SocketsHttpHandler Create(ContainerContext container)
    {
        return new SocketsHttpHandler
        {
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            ConnectCallback = async (context, cancellationToken) =>
            {
                var host = context.DnsEndPoint.Host;
                var addresses = container.Resolver.Resolve(host, container.ResolverContext);
                var target = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
                    ?? throw new HttpRequestException($"dial tcp: lookup {host}: no such host");
                if (!IPAddress.IsLoopback(target))
                {
                    throw new HttpRequestException($"dial tcp {target}:{context.DnsEndPoint.Port}: the lab connects only to 127.0.0.0/8");
                }

                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    SourceAddress.Bind(socket, container.PodAddress);
                    await socket.ConnectAsync(new IPEndPoint(target, context.DnsEndPoint.Port), cancellationToken).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
    }
}
