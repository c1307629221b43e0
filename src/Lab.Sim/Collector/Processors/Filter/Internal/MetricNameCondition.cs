using System.Text.RegularExpressions;

namespace OtelLab.Sim.Collector.Processors.Filter.Internal;

/// <summary>
/// The OTTL metric-context conditions the lab evaluates: <c>name == "x"</c>, <c>name != "x"</c> and
/// <c>IsMatch(name, "re")</c> (also spelled <c>metric.name</c>). Anything else is refused at start, never guessed.
/// </summary>
internal sealed partial class MetricNameCondition
{
    private readonly Func<string, bool> _test;

    private MetricNameCondition(Func<string, bool> test)
    {
        _test = test;
    }

    [GeneratedRegex("""^\s*(?:metric\.)?name\s*(?<op>==|!=)\s*"(?<v>(?:[^"\\]|\\.)*)"\s*$""")]
    private static partial Regex Comparison();

    [GeneratedRegex("""^\s*IsMatch\(\s*(?:metric\.)?name\s*,\s*"(?<v>(?:[^"\\]|\\.)*)"\s*\)\s*$""")]
    private static partial Regex IsMatch();

    public bool Matches(string metricName) => _test(metricName);

    public static MetricNameCondition? TryParse(string condition)
    {
        if (Comparison().Match(condition) is { Success: true } c)
        {
            var value = Unescape(c.Groups["v"].Value);
            return c.Groups["op"].Value == "==" ? new(n => n == value) : new(n => n != value);
        }

        if (IsMatch().Match(condition) is { Success: true } m)
        {
            // OTTL IsMatch uses Go regexp MatchString: unanchored.
            var regex = new Regex(Unescape(m.Groups["v"].Value), RegexOptions.CultureInvariant);
            return new(n => regex.IsMatch(n));
        }

        return null;
    }

    private static string Unescape(string s) => s.Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
}
