using System.Globalization;
using OtelLab.Sim.Relabeling;
using OtelLab.Sim.TargetAllocation;

namespace OtelLab.Tests.Sim.TargetAllocation;

[Trait("Category", "Unit")]
public sealed class TargetHashTests
{
    [Fact]
    public void Identity_matches_the_ta_byte_layout_computed_in_go()
    {
        // Given the label sets Go hashed with the TA's HashFromBuilder layout
        var rows = GoVectors.Of("itemhash").ToList();
        Assert.Equal(4, rows.Count);
        foreach (var row in rows)
        {
            var labels = LabelSet.From(row[2].Split(',').Select(p => p.Split('=', 2)).Select(p => new Label(p[0], p[1])));

            // When / Then the identity is Go's
            Assert.Equal(ulong.Parse(row[3], CultureInfo.InvariantCulture), TargetHash.Of(labels, row[1]));
        }
    }

    [Fact]
    public void Meta_labels_do_not_change_identity_but_the_job_does()
    {
        var plain = LabelSet.From((Label.Address, "10.0.0.1:9100"));
        var withMeta = LabelSet.From((Label.Address, "10.0.0.1:9100"), ("__meta_kubernetes_pod_name", "p"));
        Assert.Equal(TargetHash.Of(plain, "job"), TargetHash.Of(withMeta, "job"));
        Assert.NotEqual(TargetHash.Of(plain, "job"), TargetHash.Of(plain, "job2"));
    }

    [Fact]
    public void Labels_added_by_relabeling_are_hashed_after_the_untouched_base_labels()
    {
        // Given a builder where relabeling set "a" (sorted first) on top of base label "b"
        var builder = new LabelBuilder(LabelSet.From(("b", "2")));
        builder.Set("a", "1");

        // Then the hash follows Builder.Range order (b, then a), not sorted order — as upstream hashes the builder
        var rangeOrder = new List<string>();
        builder.Range(l => rangeOrder.Add(l.Name));
        Assert.Equal(["b", "a"], rangeOrder);
        Assert.NotEqual(TargetHash.Of(builder.Labels(), "job"), TargetHash.Of(builder, "job"));
    }
}
