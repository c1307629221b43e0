using System.Net;
using System.Net.Sockets;
using OtelLab.Sim.Networking;

namespace OtelLab.Load.Internal;

/// <summary>An HTTP handler whose connections leave from a given address (a pod's IP), as from the pod's network namespace.</summary>
internal static class SourceAddressHandler
{
    /// <param name="source">The local address to bind; null leaves the choice to the OS.</param>
    public static SocketsHttpHandler Create(IPAddress? source) => new()
    {
        ConnectCallback = async (context, ct) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                if (source is not null)
                {
                    SourceAddress.Bind(socket, source);
                }

                await socket.ConnectAsync(context.DnsEndPoint, ct).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
    };
}
