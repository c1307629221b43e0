using OtelLab.Model.Go;

namespace OtelLab.Tests.Model.Go;

/// <summary>Go's strconv.ParseFloat(s, 64) on decimal text (strconv/atof.go: special, readFloat; the whole string must be read).</summary>
[Trait("Category", "Unit")]
public sealed class GoFloatTests
{
    [Theory]
    [InlineData("1", 1.0)]
    [InlineData("-2.5", -2.5)]
    [InlineData(".5", 0.5)]
    [InlineData("5.", 5.0)]
    [InlineData("1e3", 1000.0)]
    [InlineData("+1E-3", 0.001)]
    [InlineData("0.25", 0.25)]
    [InlineData("+Inf", double.PositiveInfinity)]
    [InlineData("-inf", double.NegativeInfinity)]
    [InlineData("Infinity", double.PositiveInfinity)]
    [InlineData("INF", double.PositiveInfinity)]
    public void Reads_what_go_reads(string text, double expected)
    {
        Assert.True(GoFloat.TryParse(text, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("nan")]
    public void Reads_nan_in_any_case(string text)
    {
        Assert.True(GoFloat.TryParse(text, out var value));
        Assert.True(double.IsNaN(value));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("1,000")]
    [InlineData("1_000")]
    [InlineData("abc")]
    [InlineData("-nan")]
    [InlineData("+NaN")]
    [InlineData("∞")]
    [InlineData("infin")]
    [InlineData("1e")]
    public void Refuses_what_go_refuses(string text)
    {
        Assert.False(GoFloat.TryParse(text, out _));
    }
}
