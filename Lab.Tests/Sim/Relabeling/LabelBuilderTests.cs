using OtelLab.Sim.Relabeling;

namespace OtelLab.Tests.Sim.Relabeling;

[Trait("Category", "Unit")]
public sealed class LabelBuilderTests
{
    [Fact]
    public void Set_with_an_empty_value_deletes_and_get_sees_pending_changes()
    {
        var builder = new LabelBuilder(LabelSet.From(("a", "1"), ("b", "2")));
        builder.Set("a", "");
        builder.Set("c", "3");
        Assert.Equal("", builder.Get("a"));
        Assert.Equal("3", builder.Get("c"));
        Assert.Equal(LabelSet.From(("b", "2"), ("c", "3")), builder.Labels());
    }

    [Fact]
    public void Set_after_del_restores_the_label()
    {
        var builder = new LabelBuilder(LabelSet.From(("a", "1")));
        builder.Del("a");
        builder.Set("a", "2");
        Assert.Equal("2", builder.Get("a"));
        Assert.Equal(LabelSet.From(("a", "2")), builder.Labels());
    }

    [Fact]
    public void Label_sets_are_sorted_ordinally_and_drop_empty_values()
    {
        var set = LabelSet.From(("b", "1"), ("_a", "2"), ("B", "3"), ("e", ""));
        Assert.Equal(["B", "_a", "b"], set.Select(l => l.Name));
    }
}
