using System.Net;
using OtelLab.Sim.Networking;

namespace OtelLab.Tests.Support;

/// <summary>
/// The address slot of this test process's bare clusters (<c>SimFixtures.NewCluster</c>) and of the tests that bind
/// fixed pod or node addresses, claimed on first use and held for the whole run: the labs that tests start side by
/// side each claim their own slot, so none of them ever hands out these addresses.
/// </summary>
internal static class TestAddressSlot
{
    private static readonly Lazy<LoopbackAddressSlot> Held = new(LoopbackAddressSlot.Claim);
    private static int s_processes;

    public static int Slot => Held.Value.Slot;

    /// <summary>
    /// <c>127.(64 + 4S + block).third.fourth</c>: a fixed address in this slot's pod range (four second octets per slot,
    /// <see cref="LoopbackAddressPlan"/>). Bare clusters hand pod addresses out from <c>.0.1</c> upward, so high third
    /// octets (200 and above) or blocks 1–3 never meet their pods.
    /// </summary>
    public static IPAddress Pod(int block, int third, int fourth)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(block);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(block, 3);
        return new IPAddress(new[] { (byte)127, (byte)(64 + (4 * Slot) + block), (byte)third, (byte)fourth });
    }

    /// <summary>
    /// A loopback address of this slot that no other caller in the run gets (block 3, handed out in turn): for a process a
    /// test starts to listen on a fixed port. A port picked free on 127.0.0.1 and released is any socket's to take until
    /// the process binds it — a connection to a 127.0.0.1 service takes its source port from the same range, and the
    /// process then fails to start with EADDRINUSE — while nothing else binds this address.
    /// </summary>
    public static IPAddress NextProcessAddress()
    {
        var n = Interlocked.Increment(ref s_processes) - 1;
        if (n >= 256 * 254)
        {
            throw new InvalidOperationException($"more than {256 * 254} process addresses asked for in one run");
        }

        return Pod(3, n / 254, (n % 254) + 1);
    }

    /// <summary>A port on 127.0.0.1 free at the time of the call: only for a client that must bind 127.0.0.1 (the guide's <c>kubectl port-forward</c>), since the port can be taken before it binds; a test's own process takes <see cref="NextProcessAddress"/>.</summary>
    public static int FreeLocalhostPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary><c>127.1.S.ordinal</c>: a node address of this slot (bare clusters use the first few).</summary>
    public static IPAddress Node(int ordinal) => new(new[] { (byte)127, (byte)1, (byte)Slot, (byte)ordinal });
}
