using System.Text;
using OtelLab.Sim.Collector.Exporters.LoadBalancing.Internal;
using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Tests.Sim.Collector.Exporters.LoadBalancing;

/// <summary>
/// Vectors from a Go transcription of upstream consistent_hashing.go (newHashRing, positionsFor, bsearch) run with Go's
/// hash/crc32 (go1 stdlib) over endpoints 10.1.0.5-7:4317.
/// </summary>
[Trait("Category", "Unit")]
public sealed class HashRingTests
{
    private static readonly string[] Endpoints = ["10.1.0.5:4317", "10.1.0.6:4317", "10.1.0.7:4317"];

    [Fact]
    public void Ring_has_upstreams_positions_with_collisions_skipped()
    {
        var ring = new HashRing(Endpoints);

        Assert.Equal(299, ring.Count); // 300 points, one collision kept by the earlier endpoint
        Assert.Equal("10.1.0.7:4317", ring.FindEndpoint(37)); // the first item
        Assert.Equal("10.1.0.7:4317", ring.FindEndpoint(35754)); // the last item
        Assert.Equal("10.1.0.7:4317", ring.FindEndpoint(35999)); // past the last wraps to the first
    }

    [Theory]
    [InlineData("00070e151c232a31383f464d545b6269", "10.1.0.5:4317")]
    [InlineData("1f262d343b424950575e656c737a8188", "10.1.0.7:4317")]
    [InlineData("3e454c535a61686f767d848b9299a0a7", "10.1.0.7:4317")]
    [InlineData("5d646b727980878e959ca3aab1b8bfc6", "10.1.0.5:4317")]
    [InlineData("7c838a91989fa6adb4bbc2c9d0d7dee5", "10.1.0.5:4317")]
    [InlineData("9ba2a9b0b7bec5ccd3dae1e8eff6fd04", "10.1.0.5:4317")]
    [InlineData("bac1c8cfd6dde4ebf2f900070e151c23", "10.1.0.6:4317")]
    [InlineData("d9e0e7eef5fc030a11181f262d343b42", "10.1.0.5:4317")]
    public void Trace_ids_map_to_the_same_endpoint_as_upstream(string traceId, string expected)
    {
        var ring = new HashRing(Endpoints);
        Span<byte> bytes = stackalloc byte[16];
        TraceId.ParseHex(traceId).WriteBytes(bytes);

        Assert.Equal(expected, ring.EndpointFor(bytes));
    }

    [Theory]
    [InlineData("checkout", "10.1.0.5:4317")]
    [InlineData("payments", "10.1.0.6:4317")]
    [InlineData("ledger", "10.1.0.5:4317")]
    public void Service_names_map_to_the_same_endpoint_as_upstream(string service, string expected)
    {
        Assert.Equal(expected, new HashRing(Endpoints).EndpointFor(Encoding.UTF8.GetBytes(service)));
    }

    [Fact]
    public void An_empty_ring_has_no_endpoint_and_equal_rings_are_the_same()
    {
        Assert.Equal(string.Empty, new HashRing([]).EndpointFor([1, 2]));
        Assert.True(new HashRing(Endpoints).SameAs(new HashRing(Endpoints)));
        Assert.False(new HashRing(Endpoints).SameAs(new HashRing(Endpoints[..2])));
    }
}
