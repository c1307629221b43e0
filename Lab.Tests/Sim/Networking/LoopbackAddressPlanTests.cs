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

        var node = LoopbackAddressPlan.NodeAddress(3);
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
