using k8s.Models;
using OtelLab.Sim.Collector.Processors.K8sAttributes;
using OtelLab.Sim.Collector.Processors.K8sAttributes.Internal;

namespace OtelLab.Tests.Sim.Collector.Processors.K8sAttributes.Internal;

/// <summary>The informer cache drops only what a removed pod owned (removal no longer scans every key).</summary>
[Trait("Category", "Unit")]
public sealed class PodIndexTests
{
    private static readonly string IpKey = PodField.Key([(PodField.Ip, "127.1.0.9")]);

    [Fact]
    public void Removing_a_pod_keeps_the_newer_pod_that_reuses_its_ip()
    {
        // Given pod a at 127.1.0.9, then pod b given the same IP after a was replaced
        var index = new PodIndex(new K8sAttributesConfig(), [[PodField.Ip]]);
        index.Upsert(Pod("a", "uid-a"));
        index.Upsert(Pod("b", "uid-b"));

        // When a's delete event arrives
        index.Remove("uid-a");

        // Then the IP still names b, and only b remains
        Assert.Equal("b", index.Find(IpKey)?.Pod.Metadata.Name);
        Assert.Equal(1, index.PodCount);
    }

    [Fact]
    public void Removing_the_owner_of_a_key_unindexes_it()
    {
        var index = new PodIndex(new K8sAttributesConfig(), [[PodField.Ip]]);
        index.Upsert(Pod("a", "uid-a"));

        index.Remove("uid-a");

        Assert.Null(index.Find(IpKey));
        Assert.Equal(0, index.PodCount);
    }

    [Fact]
    public void Updating_a_pod_reindexes_it_under_its_new_ip()
    {
        var index = new PodIndex(new K8sAttributesConfig(), [[PodField.Ip]]);
        index.Upsert(Pod("a", "uid-a", "127.1.0.7"));

        index.Upsert(Pod("a", "uid-a"));

        Assert.Null(index.Find(PodField.Key([(PodField.Ip, "127.1.0.7")])));
        Assert.Equal("a", index.Find(IpKey)?.Pod.Metadata.Name);
    }

    private static V1Pod Pod(string name, string uid, string ip = "127.1.0.9") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "shop", Uid = uid },
        Spec = new V1PodSpec { NodeName = "node-1" },
        Status = new V1PodStatus { PodIP = ip },
    };
}
