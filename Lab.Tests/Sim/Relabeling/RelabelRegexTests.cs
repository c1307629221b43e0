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
    [InlineData("(?<=a)b", "invalid named capture: `(?<=a)b)$`")]
    [InlineData("(?<!a)b>", "invalid named capture: `(?<!a)b>`")]
    [InlineData(@"(a)\1", @"invalid escape sequence: `\1`")]
    [InlineData(@"(a)[\1]", @"invalid escape sequence: `\1`")]
    [InlineData(@"(a)\9", @"invalid escape sequence: `\9`")]
    [InlineData(@"(?<x>a)\k<x>", @"invalid escape sequence: `\k`")]
    [InlineData(@"\Ga", @"invalid escape sequence: `\G`")]
    [InlineData("(?P<app[a-z]+", "invalid named capture: `(?P<app[a-z]+)$`")]
    [InlineData("(?P<a-b>x)", "invalid named capture: `(?P<a-b>`")]
    [InlineData("(?<>x)", "invalid named capture: `(?<>`")]
    [InlineData("(a", "missing closing ): `^(?:(a)$`")]
    [InlineData("a)b", "unexpected ): `^(?:a)b)$`")]
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

    // RE2 answers in linear time; a backtracking engine needs about 2^40 steps to refuse (a+)+b on forty a's and a c.
    [Fact]
    public void An_expression_that_backtracks_catastrophically_still_gets_re2s_answer()
    {
        var regex = new RelabelRegex("(a+)+b");
        var input = new string('a', 40) + "c";

        Assert.False(regex.IsMatch(input));
        Assert.Null(regex.MatchAndExpand(input, "$1"));
        Assert.Equal("aaaa", regex.MatchAndExpand("aaaab", "$1"));
    }

    // Go's regexp picks the submatches a backtracking engine would (leftmost-first: regexp package doc), and so must the
    // non-backtracking engine a match past the backtracking limit falls back to: ambiguous groups split as Go splits them.
    [Theory]
    [InlineData("(a*)(a*)", "aaa", "aaa|")]
    [InlineData("(a+?)(a*)", "aaa", "a|aa")]
    [InlineData("(.*)-(.*)", "a-b-c", "a-b|c")]
    [InlineData("(.*?)-(.*)", "a-b-c", "a|b-c")]
    [InlineData("(a|ab)(c|bcd)(d*)", "abcd", "a|bcd|")]
    [InlineData("([^:]+)(?::(\\d+))?", "host:9100", "host|9100")]
    public void Both_engines_split_an_ambiguous_match_as_go_does(string expression, string input, string groups)
    {
        var regex = new RelabelRegex(expression);
        var template = string.Join("|", Enumerable.Range(1, groups.Split('|').Length).Select(i => "${" + i + "}"));

        Assert.Equal(groups, regex.MatchAndExpand(input, template));
        Assert.Equal(groups, regex.Expand(template, regex.MatchLinearly(input)));
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
