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

    /// <summary><c>127.1.S.ordinal</c>: a node address of this slot (bare clusters use the first few).</summary>
    public static IPAddress Node(int ordinal) => new(new[] { (byte)127, (byte)1, (byte)Slot, (byte)ordinal });
}
