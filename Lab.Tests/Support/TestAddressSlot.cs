using OtelLab.Sim.Networking;

namespace OtelLab.Tests.Support;

/// <summary>
/// The address slot of this test process's bare clusters (<c>SimFixtures.NewCluster</c>), claimed on first use and held
/// for the whole run: the labs that tests start side by side each claim their own slot, so none of them ever hands
/// out a bare cluster's addresses.
/// </summary>
internal static class TestAddressSlot
{
    private static readonly Lazy<LoopbackAddressSlot> Held = new(LoopbackAddressSlot.Claim);

    public static int Slot => Held.Value.Slot;
}
