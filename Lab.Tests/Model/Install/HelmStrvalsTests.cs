using System.Text.Json.Nodes;
using OtelLab.Model.Install;

namespace OtelLab.Tests.Model.Install;

/// <summary>Helm's --set syntax as helm pkg/strvals/parser.go parses it (cases from its parser_test.go's shapes).</summary>
[Trait("Category", "Unit")]
public sealed class HelmStrvalsTests
{
    private static string Parse(params string[] expressions)
    {
        var values = new JsonObject();
        foreach (var e in expressions)
        {
            HelmStrvals.ParseInto(e, values);
        }

        return values.ToJsonString();
    }

    [Theory]
    [InlineData("name=value", """{"name":"value"}""")]
    [InlineData("a.b.c=1", """{"a":{"b":{"c":1}}}""")]
    [InlineData("a=1,b=two", """{"a":1,"b":"two"}""")]
    [InlineData("t=true,f=FALSE,n=null", """{"t":true,"f":false,"n":null}""")]
    [InlineData("zero=0,octal=0755,neg=-3,float=1.5", """{"zero":0,"octal":"0755","neg":-3,"float":"1.5"}""")]
    [InlineData("list={a,b,3}", """{"list":["a","b",3]}""")]
    [InlineData("empty={}", """{"empty":[]}""")]
    [InlineData("list[1]=x", """{"list":[null,"x"]}""")]
    [InlineData("list[0].name=x", """{"list":[{"name":"x"}]}""")]
    [InlineData("m[0][1]=x", """{"m":[[null,"x"]]}""")]
    [InlineData(@"gates.operator\.observability\.prometheus=true", """{"gates":{"operator.observability.prometheus":true}}""")]
    [InlineData(@"name=a\,b", """{"name":"a,b"}""")]
    [InlineData("name=", """{"name":""}""")]
    public void An_expression_sets_what_helm_sets(string expression, string json) =>
        Assert.Equal(json, Parse(expression));

    [Fact]
    public void A_later_set_overrides_and_merges_into_an_earlier_one() =>
        Assert.Equal("""{"a":{"b":2,"c":3}}""", Parse("a.b=1", "a.c=3", "a.b=2"));

    [Theory]
    [InlineData("name", "key \"name\" has no value")]
    [InlineData("name,", "key \"name\" has no value (cannot end with ,)")]
    [InlineData("list[-1]=x", "negative -1 index not allowed")]
    [InlineData("list[70000]=x", "index of 70000 is greater than maximum supported index 65536")]
    [InlineData("list={a,b", "list must terminate with '}'")]
    public void Malformed_expressions_fail_with_the_parser_text(string expression, string message) =>
        Assert.Equal(message, Assert.Throws<FormatException>(() => Parse(expression)).Message);

    [Fact]
    public void Paths_name_each_key_an_expression_sets() =>
        Assert.Equal([["a", "b"], ["c"]], HelmStrvals.Paths("a.b=1,c=2"));
}
