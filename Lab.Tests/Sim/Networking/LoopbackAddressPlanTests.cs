using System.Net;
using OtelLab.Sim.Networking;

namespace OtelLab.Tests.Sim.Networking;

[Trait("Category", "Component")]
public sealed class LoopbackAddressPlanTests
{
    [Fact]
    public void Nodes_pods_and_services_get_distinct_loopback_ranges()
    {
        var plan = new LoopbackAddressPlan();

        var node = plan.NodeAddress(3);
        var pod = plan.AllocatePod();
        var vip = plan.AllocateService();

        Assert.Equal(IPAddress.Parse("127.1.0.3"), node);
        Assert.Equal(IPAddress.Parse("127.64.0.1"), pod);
        Assert.Equal(IPAddress.Parse("127.96.0.1"), vip);
        Assert.True(LoopbackAddressPlan.IsNode(node) && !LoopbackAddressPlan.IsPod(node));
        Assert.True(LoopbackAddressPlan.IsPod(pod) && !LoopbackAddressPlan.IsService(pod));
        Assert.True(LoopbackAddressPlan.IsService(vip) && !LoopbackAddressPlan.IsPod(vip));
    }

    [Fact]
    public void Each_address_slot_owns_disjoint_node_pod_and_vip_ranges_inside_the_lab_ranges()
    {
        var plans = Enumerable.Range(0, LoopbackAddressPlan.Slots).Select(s => new LoopbackAddressPlan(s)).ToList();

        var pods = plans.Select(p => Enumerable.Range(0, 300).Select(_ => p.AllocatePod()).ToList()).ToList();
        var vips = plans.Select(p => Enumerable.Range(0, 300).Select(_ => p.AllocateService()).ToList()).ToList();
        var nodes = plans.Select(p => p.NodeAddress(3)).ToList();

        Assert.Equal(IPAddress.Parse("127.1.1.3"), nodes[1]);
        Assert.Equal(IPAddress.Parse("127.68.0.1"), pods[1][0]);
        Assert.Equal(IPAddress.Parse("127.100.0.1"), vips[1][0]);
        Assert.Equal(IPAddress.Parse("127.92.0.1"), pods[7][0]);
        Assert.Equal(LoopbackAddressPlan.Slots * 300, pods.SelectMany(p => p).Distinct().Count());
        Assert.Equal(LoopbackAddressPlan.Slots * 300, vips.SelectMany(p => p).Distinct().Count());
        Assert.Equal(LoopbackAddressPlan.Slots, nodes.Distinct().Count());
        Assert.All(pods.SelectMany(p => p), a => Assert.True(LoopbackAddressPlan.IsPod(a), $"{a} is not a pod address"));
        Assert.All(vips.SelectMany(p => p), a => Assert.True(LoopbackAddressPlan.IsService(a), $"{a} is not a VIP"));
        Assert.All(nodes, a => Assert.True(LoopbackAddressPlan.IsNode(a), $"{a} is not a node address"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LoopbackAddressPlan(LoopbackAddressPlan.Slots));
    }

    [Fact]
    public void Labs_side_by_side_hold_different_slots_each_locked_while_held()
    {
        // Other labs in this test run may hold slots too (and take released ones at once): judge only what these
        // claims hold.
        using var first = LoopbackAddressSlot.Claim();
        using var second = LoopbackAddressSlot.Claim();

        Assert.NotEqual(first.Slot, second.Slot);
        Assert.Equal(second.Slot, second.NewPlan().Slot);
        Assert.Equal(second.NewPlan().AllocatePod(), second.NewPlan().AllocatePod()); // each plan starts at the slot's first address
        Assert.All(new[] { first.Slot, second.Slot }, held => Assert.Throws<IOException>(() =>
            new FileStream(Path.Combine(LoopbackAddressSlot.LockDirectory, $"{held}.lock"), FileMode.Open, FileAccess.ReadWrite, FileShare.None)));
    }

    [Fact]
    public void Allocation_is_deterministic_skips_host_bytes_0_and_255_and_stays_in_127_8()
    {
        var a = new LoopbackAddressPlan();
        var b = new LoopbackAddressPlan();

        var first = Enumerable.Range(0, 600).Select(_ => a.AllocatePod()).ToList();
        var second = Enumerable.Range(0, 600).Select(_ => b.AllocatePod()).ToList();

        Assert.Equal(first, second);
        Assert.Equal(600, first.Distinct().Count());
        Assert.All(first, ip =>
        {
            var bytes = ip.GetAddressBytes();
            Assert.Equal(127, bytes[0]);
            Assert.NotEqual(0, bytes[3]);
            Assert.NotEqual(255, bytes[3]);
        });
        Assert.Equal(IPAddress.Parse("127.64.1.1"), first[254]);
    }

    [Fact]
    public void A_released_address_is_not_handed_out_again_until_the_range_wraps()
    {
        var plan = new LoopbackAddressPlan();
        var first = plan.AllocatePod();

        plan.Release(first);

        Assert.NotEqual(first, plan.AllocatePod());
    }

    [Fact]
    public void Binding_a_non_default_loopback_address_works_here_or_the_probe_says_how_to_fix_it()
    {
        var result = LoopbackSupport.Probe();

        if (!result.Supported)
        {
            Assert.Contains("127.1.0.1", result.Problem, StringComparison.Ordinal);
            Assert.Contains("Fix:", result.Problem, StringComparison.Ordinal);
        }

        var macOs = LoopbackSupport.Explain(IPAddress.Parse("127.1.0.1"), System.Net.Sockets.SocketError.AddressNotAvailable);
        Assert.StartsWith("cannot bind 127.1.0.1 (AddressNotAvailable)", macOs, StringComparison.Ordinal);
    }
}
