using System.Net;
using System.Net.Sockets;

namespace OtelLab.Sim.Networking;

/// <summary>
/// Gives an outgoing socket a pod's (or a node's) own address as its source, as that pod's connections have in a
/// cluster. Binding port 0 before connecting makes the kernel pick the port at bind time, without the destination:
/// every connection from one address then needs a port of its own while it lives and for TIME_WAIT after it (60 s),
/// so 28,232 ports (Linux's default ephemeral range) run out at about 470 new connections per second from one
/// address — a 9,000-target scrape pool at timeScale 10 opens 3,000 a second, and the kernel then spends its time
/// searching a full port space (measured: 1.6 cores of system time, scrapes failing with EADDRINUSE, 7 scrapes/s).
/// Linux's IP_BIND_ADDRESS_NO_PORT (ip(7), since 4.2) defers the port to connect(), where the 4-tuple decides, so
/// ports are shared across destinations and TIME_WAIT is reused for loopback (net.ipv4.tcp_tw_reuse=2, the default).
/// </summary>
public static class SourceAddress
{
    // include/uapi/linux/in.h: #define IP_BIND_ADDRESS_NO_PORT 24 (level SOL_IP = 0).
    private const int IpBindAddressNoPort = 24;

    /// <summary>Binds <paramref name="socket"/> to <paramref name="address"/> with the port left to connect().</summary>
    public static void Bind(Socket socket, IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(address);
        if (OperatingSystem.IsLinux() && socket.AddressFamily == AddressFamily.InterNetwork && address.AddressFamily == AddressFamily.InterNetwork)
        {
            socket.SetRawSocketOption((int)SocketOptionLevel.IP, IpBindAddressNoPort, BitConverter.GetBytes(1));
        }

        socket.Bind(new IPEndPoint(address, 0));
    }
}
