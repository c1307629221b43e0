using OtelLab.Sim.Relabeling;

namespace OtelLab.Tests.Sim.Relabeling;

/// <summary>
/// Relabel regexes are RE2 (Go regexp) in the collector's Prometheus: what RE2 cannot parse, the collector refuses to
/// load, so the lab refuses it too, with Go's parse error (regexp/syntax parse.go parsePerlFlags and parseEscape;
/// "error parsing regexp: CODE: `EXPR`"), rather than matching with .NET's Perl features.
/// </summary>
[Trait("Category", "Unit")]
public sealed class RelabelRegexTests
{
    [Theory]
    [InlineData("(?=a)b", "invalid or unsupported Perl syntax: `(?=`")]
    [InlineData("a(?!b)", "invalid or unsupported Perl syntax: `(?!`")]
    [InlineData("(?>a+)b", "invalid or unsupported Perl syntax: `(?>`")]
    [InlineData("(?(a)b|c)", "invalid or unsupported Perl syntax: `(?(`")]
    [InlineData("(?#note)a", "invalid or unsupported Perl syntax: `(?#`")]
    [InlineData("(?i=a)", "invalid or unsupported Perl syntax: `(?i=`")]
    [InlineData("(?<=a)b", "invalid named capture: `(?<=a)b`")]
    [InlineData("(?<!a)b>", "invalid named capture: `(?<!a)b>`")]
    [InlineData(@"(a)\1", @"invalid escape sequence: `\1`")]
    [InlineData(@"(a)[\1]", @"invalid escape sequence: `\1`")]
    [InlineData(@"(a)\9", @"invalid escape sequence: `\9`")]
    [InlineData(@"(?<x>a)\k<x>", @"invalid escape sequence: `\k`")]
    [InlineData(@"\Ga", @"invalid escape sequence: `\G`")]
    public void A_construct_re2_does_not_have_is_refused_with_gos_parse_error(string expression, string error)
    {
        var refused = Assert.Throws<ArgumentException>(() => new RelabelRegex(expression));

        Assert.Equal($"invalid relabel regex \"{expression}\": error parsing regexp: {error}", refused.Message.Split(" (Parameter")[0]);
    }

    [Theory]
    [InlineData("(?P<ns>[a-z]+)-(?<app>[a-z]+)", "payments-ledger", "$ns/$app", "payments/ledger")]
    [InlineData("(?i)CHECKOUT", "checkout", "ok", "ok")]
    [InlineData("(?i:A)b", "ab", "ok", "ok")]
    [InlineData("(?s:a.b)", "a\nb", "ok", "ok")]
    [InlineData("[(?=]+x", "(?=x", "ok", "ok")]
    [InlineData(@"a\.b\\", @"a.b\", "ok", "ok")]
    [InlineData(@"\101", "A", "ok", "ok")]
    [InlineData("(a)(b)", "ab", "$2$1", "ba")]
    public void What_re2_parses_still_matches_and_expands(string expression, string input, string template, string expected)
    {
        Assert.Equal(expected, new RelabelRegex(expression).MatchAndExpand(input, template));
    }

    // The collector 0.105's Prometheus (2.53) anchors `^(?:expr)$`, where `.` stops at a newline; Prometheus 3.0
    // anchors `^(?s:expr)$` (prometheus/prometheus pull 14540).
    [Fact]
    public void The_default_regex_does_not_match_across_a_newline_as_in_prometheus_2()
    {
        Assert.False(RelabelRegex.Default.IsMatch("first line\nsecond line"));
        Assert.True(RelabelRegex.Default.IsMatch("one line"));
    }
}
