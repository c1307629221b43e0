using System.Text;
using OtelLab.Model.Go;
using OtelLab.Sim.TargetAllocation.Http.Internal;

namespace OtelLab.Tests.Sim.TargetAllocation.Http;

[Trait("Category", "Unit")]
public sealed class GoEncodingTests
{
    [Fact]
    public void Query_escape_follows_go_net_url()
    {
        Assert.Equal("a+b%2Fc~-_.%3A%C3%BC", GoUrl.QueryEscape("a b/c~-_.:ü"));
        Assert.True(GoUrl.TryQueryUnescape("a+b%2Fc%c3%bc", out var decoded));
        Assert.Equal("a b/cü", decoded);
        Assert.False(GoUrl.TryQueryUnescape("50%", out _));
    }

    [Fact]
    public void Parse_query_keeps_every_value_and_skips_semicolon_pairs()
    {
        var query = GoUrl.ParseQuery("collector_id=a&collector_id=b&x=1;y=2&empty");
        Assert.Equal(["a", "b"], query["collector_id"]);
        Assert.Equal([""], query["empty"]);
        Assert.False(query.ContainsKey("x"));
    }

    [Fact]
    public void Strings_are_escaped_html_safe_like_go_encoding_json()
    {
        var json = GoccyJson.String(new StringBuilder(), "<a href=\"x\">&\u2028\u0001\tü").ToString();
        Assert.Equal("\"\\u003ca href=\\\"x\\\"\\u003e\\u0026\\u2028\\u0001\\tü\"", json);
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(10_000, "10s")]
    [InlineData(60_000, "1m")]
    [InlineData(90_000, "1m30s")]
    [InlineData(1_500, "1s500ms")]
    [InlineData(86_400_000 * 14L, "2w")]
    [InlineData(86_400_000 * 15L, "15d")]
    public void Durations_format_like_prometheus_model_duration(long milliseconds, string expected)
    {
        Assert.Equal(expected, ScrapeConfigJson.Duration(TimeSpan.FromMilliseconds(milliseconds)));
    }
}
