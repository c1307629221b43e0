using System.Net;

namespace OtelLab.Sim.Networking;

/// <summary>
/// Deterministic loopback addresses for the simulated cluster: every node, pod and Service VIP gets its own address
/// inside 127.0.0.0/8 (Linux routes the whole block to <c>lo</c>), so two pods can both listen on 4317 and a receiver
/// can tell senders apart by connection IP, which is what <c>k8sattributes</c> relies on.
/// </summary>
/// <remarks>
/// Ranges (disjoint, never outside 127.0.0.0/8): nodes <c>127.1.S.N</c>; pods <c>127.64.0.1 … 127.95.255.254</c>;
/// Service VIPs <c>127.96.0.1 … 127.127.255.254</c>. Each range is cut into <see cref="Slots"/> address slots, one per
/// lab on the machine (<see cref="LoopbackAddressSlot"/>): slot S owns nodes <c>127.1.S.*</c>, pods
/// <c>127.(64+4S).0.1 … 127.(67+4S).255.254</c> and VIPs <c>127.(96+4S).0.1 …</c> — 260,096 of each, so two labs on one
/// machine never hand the same address to different pods. Host bytes 0 and 255 are skipped so no address looks like
/// a network or broadcast address. Released pod and VIP addresses are reused only after the range wraps, as a real
/// IPAM hands out fresh addresses first.
/// </remarks>
public sealed class LoopbackAddressPlan
{
    /// <summary>How many labs can run side by side on one machine.</summary>
    public const int Slots = 8;

    private const int SecondOctetsPerSlot = 4;

    private readonly Lock _gate = new();
    private readonly AddressRange _pods;
    private readonly AddressRange _services;

    /// <summary>The plan of address slot 0 (what a single lab on the machine uses).</summary>
    public LoopbackAddressPlan()
        : this(0)
    {
    }

    /// <summary>The plan of address slot <paramref name="slot"/> (0 … <see cref="Slots"/> − 1).</summary>
    public LoopbackAddressPlan(int slot)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(slot, Slots);
        Slot = slot;
        var first = slot * SecondOctetsPerSlot;
        _pods = new AddressRange((byte)(64 + first), (byte)(64 + first + SecondOctetsPerSlot - 1));
        _services = new AddressRange((byte)(96 + first), (byte)(96 + first + SecondOctetsPerSlot - 1));
    }

    /// <summary>The address slot this plan hands out addresses from.</summary>
    public int Slot { get; }

    /// <summary>The address of this slot's node with 1-based <paramref name="ordinal"/> (<c>127.1.S.N</c>).</summary>
    public IPAddress NodeAddress(int ordinal)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ordinal, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ordinal, 254);
        return new IPAddress(new byte[] { 127, 1, (byte)Slot, (byte)ordinal });
    }

    public IPAddress AllocatePod()
    {
        lock (_gate)
        {
            return _pods.Allocate("pod");
        }
    }

    public IPAddress AllocateService()
    {
        lock (_gate)
        {
            return _services.Allocate("Service");
        }
    }

    /// <summary>Returns a pod or Service address to its pool; unknown addresses are ignored.</summary>
    public void Release(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        lock (_gate)
        {
            _pods.Release(address);
            _services.Release(address);
        }
    }

    public static bool IsNode(IPAddress address) => Bytes(address) is [127, 1, < Slots, > 0 and < 255];

    public static bool IsPod(IPAddress address) => Bytes(address) is [127, >= 64 and <= 95, _, _];

    public static bool IsService(IPAddress address) => Bytes(address) is [127, >= 96 and <= 127, _, _];

    private static byte[] Bytes(IPAddress address) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? address.GetAddressBytes() : [];

    private sealed class AddressRange(byte firstOctet, byte lastOctet)
    {
        private readonly HashSet<uint> _inUse = [];
        private readonly uint _first = Pack(firstOctet, 0, 1);
        private readonly uint _last = Pack(lastOctet, 255, 254);
        private uint _next = Pack(firstOctet, 0, 1);

        public IPAddress Allocate(string what)
        {
            var capacity = (lastOctet - firstOctet + 1) * 256 * 254;
            for (var tries = 0; tries < capacity; tries++)
            {
                var candidate = _next;
                _next = Advance(_next);
                if (_inUse.Add(candidate))
                {
                    return ToAddress(candidate);
                }
            }

            throw new InvalidOperationException(
                $"the {what} address range 127.{firstOctet}.0.0-127.{lastOctet}.255.255 is exhausted ({capacity} addresses in use)");
        }

        public void Release(IPAddress address)
        {
            var b = address.GetAddressBytes();
            if (b.Length == 4 && b[0] == 127 && b[1] >= firstOctet && b[1] <= lastOctet)
            {
                _inUse.Remove(Pack(b[1], b[2], b[3]));
            }
        }

        private uint Advance(uint value)
        {
            do
            {
                value = value >= _last ? _first : value + 1;
            }
            while ((value & 0xFF) is 0 or 255);

            return value;
        }

        private static uint Pack(int second, int third, int fourth) => (uint)((second << 16) | (third << 8) | fourth);

        private static IPAddress ToAddress(uint packed) =>
            new(new byte[] { 127, (byte)(packed >> 16), (byte)(packed >> 8), (byte)packed });
    }
}
