using OtelLab.Model.Collector;

namespace OtelLab.Tests.Model;

[Trait("Category", "Unit")]
public sealed class ComponentIdTests
{
    [Theory]
    [InlineData("otlp", "otlp", null)]
    [InlineData("otlp/gateway", "otlp", "gateway")]
    [InlineData("otlphttp/dynatrace", "otlphttp", "dynatrace")]
    [InlineData("datadog/connector", "datadog", "connector")]
    [InlineData("a/b/c", "a", "b/c")]
    public void Parses_type_and_name(string text, string type, string? name)
    {
        var id = ComponentId.Parse(text);

        Assert.Equal(type, id.Type);
        Assert.Equal(name, id.Name);
        Assert.Equal(text, id.ToString());
    }

    [Theory]
    [InlineData("", "the part before / should not be empty in id \"\"")]
    [InlineData("/x", "the part before / should not be empty in id \"/x\"")]
    [InlineData("otlp/", "the part after / should not be empty in id \"otlp/\"")]
    [InlineData("1otlp", "invalid character(s) in type \"1otlp\"")]
    [InlineData("ot-lp", "invalid character(s) in type \"ot-lp\"")]
    public void Rejects_ids_upstream_rejects(string text, string error)
    {
        Assert.False(ComponentId.TryParse(text, out _, out var message));
        Assert.Equal(error, message);
    }
}
