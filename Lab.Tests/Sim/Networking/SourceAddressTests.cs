using System.Net;
using System.Net.Sockets;
using OtelLab.Sim.Networking;

namespace OtelLab.Tests.Sim.Networking;

[Trait("Category", "Component")]
public sealed class SourceAddressTests
{
    [Fact]
    public async Task The_source_address_is_bound_and_its_port_left_to_connect()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "IP_BIND_ADDRESS_NO_PORT is Linux's");
        var ct = TestContext.Current.CancellationToken;
        var source = IPAddress.Parse("127.0.0.3");
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0));
        listener.Listen(64);

        // Given a plain bind to port 0: the kernel takes a port at once (the behaviour that exhausts the range)
        using (var plain = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            plain.Bind(new IPEndPoint(source, 0));
            Assert.NotEqual(0, ((IPEndPoint)plain.LocalEndPoint!).Port);
        }

        // When sockets are bound through SourceAddress and connect
        for (var i = 0; i < 20; i++)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            SourceAddress.Bind(socket, source);

            // Then the bind holds the address and no port yet (ip(7) IP_BIND_ADDRESS_NO_PORT: assigned at connect)
            Assert.Equal(new IPEndPoint(source, 0), socket.LocalEndPoint);
            await socket.ConnectAsync(listener.LocalEndPoint!, ct);

            // And the peer sees the connection come from the source address with a real port
            using var accepted = await listener.AcceptAsync(ct);
            var peer = (IPEndPoint)accepted.RemoteEndPoint!;
            Assert.Equal(source, peer.Address);
            Assert.InRange(peer.Port, 1, 65535);
        }
    }
}
