using OtelLab.Sim.Kubelet;

namespace OtelLab.Tests.Sim.Kubelet;

/// <summary>$(VAR) expansion, cases from kubernetes third_party/forked/golang/expansion/expand_test.go.</summary>
[Trait("Category", "Unit")]
public sealed class VariableExpansionTests
{
    private static readonly Dictionary<string, string> Vars = new(StringComparer.Ordinal)
    {
        ["VAR_A"] = "A",
        ["VAR_B"] = "B",
        ["VAR_C"] = "C",
        ["VAR_REF"] = "$(VAR_A)",
        ["VAR_EMPTY"] = string.Empty,
    };

    private static string Expand(string input) => VariableExpansion.Expand(input, n => Vars.GetValueOrDefault(n));

    [Theory]
    [InlineData("$(VAR_A)", "A")]
    [InlineData("___$(VAR_B)___", "___B___")]
    [InlineData("$(VAR_A)-$(VAR_A)", "A-A")]
    [InlineData("$(VAR_A)$(VAR_B)$(VAR_C)", "ABC")]
    [InlineData("$(VAR_EMPTY)", "")]
    [InlineData("$(VAR_REF)", "$(VAR_A)")]
    [InlineData("$(UNKNOWN)", "$(UNKNOWN)")]
    [InlineData("foo$(UNKNOWN)bar", "foo$(UNKNOWN)bar")]
    [InlineData("$$(VAR_B)_$(VAR_A)", "$(VAR_B)_A")]
    [InlineData("$$(VAR_A)", "$(VAR_A)")]
    [InlineData("$$", "$")]
    [InlineData("$$$$$$(BIG_MONEY)", "$$$(BIG_MONEY)")]
    [InlineData("$$$$$$$(VAR_A)", "$$$A")]
    [InlineData("f000-$$VAR_A", "f000-$VAR_A")]
    [InlineData("$VAR_A", "$VAR_A")]
    [InlineData("$(VAR_A", "$(VAR_A")]
    [InlineData("$(VAR_A$(VAR_B)", "$(VAR_A$(VAR_B)")]
    [InlineData("$", "$")]
    [InlineData("foo$", "foo$")]
    [InlineData("$()", "$()")]
    [InlineData("(VAR_A)", "(VAR_A)")]
    [InlineData("$é$(VAR_A)", "$éA")]
    [InlineData("$😀$(VAR_A)", "$😀A")]
    public void Expands_like_the_kubelet(string input, string expected)
    {
        Assert.Equal(expected, Expand(input));
    }

    [Fact]
    public void Reports_each_reference_it_left_literal()
    {
        var missing = new List<string>();

        var result = VariableExpansion.Expand("http://$(K8S_NODE_NAME):$(PORT)/$(VAR_A)/$$(ESCAPED)", n => Vars.GetValueOrDefault(n), missing);

        Assert.Equal("http://$(K8S_NODE_NAME):$(PORT)/A/$(ESCAPED)", result);
        Assert.Equal(["K8S_NODE_NAME", "PORT"], missing);
    }

    [Fact]
    public void References_lists_the_variables_a_value_uses()
    {
        Assert.Equal(["K8S_NODE_NAME", "B"], VariableExpansion.References("http://$(K8S_NODE_NAME):4318/$$(NOT)$(B)"));
    }
}
