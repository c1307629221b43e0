using System.Text.RegularExpressions;

namespace OtelLab.Sim.Collector.Processors.TailSampling.Internal;

/// <summary>
/// go.opentelemetry.io/otel/trace <c>ParseTraceState</c> and <c>TraceState.Get</c>, which upstream's
/// trace_state_filter.go calls per span: list members split on ',' (empty ones skipped), each <c>key=value</c> with
/// leading blanks trimmed from the key and trailing blanks from the value, W3C key and value grammar, no duplicate
/// keys, at most 32 members. Any violation makes the whole header unreadable (the span does not match).
/// </summary>
internal static partial class W3CTraceState
{
    private const int MaxMembers = 32;

    /// <summary>The value of <paramref name="key"/>, "" when absent; false when the header does not parse.</summary>
    public static bool TryGet(string header, string key, out string value)
    {
        value = string.Empty;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in header.Split(','))
        {
            if (member.Length == 0)
            {
                continue;
            }

            var eq = member.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                return Fail(out value);
            }

            var k = member[..eq].TrimStart(' ', '\t');
            var v = member[(eq + 1)..].TrimEnd(' ', '\t');
            if (!KeyFormat().IsMatch(k) || !ValueFormat().IsMatch(v) || !seen.Add(k) || seen.Count > MaxMembers)
            {
                return Fail(out value);
            }

            if (k == key)
            {
                value = v;
            }
        }

        return true;
    }

    private static bool Fail(out string value)
    {
        value = string.Empty;
        return false;
    }

    [GeneratedRegex(@"\A(?:[a-z][_0-9a-z\-*/]{0,255}|[a-z0-9][_0-9a-z\-*/]{0,240}@[a-z][_0-9a-z\-*/]{0,13})\z")]
    private static partial Regex KeyFormat();

    [GeneratedRegex(@"\A[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]\z")]
    private static partial Regex ValueFormat();
}
