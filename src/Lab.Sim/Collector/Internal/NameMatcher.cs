using System.Text.RegularExpressions;

namespace OtelLab.Sim.Collector.Internal;

/// <summary>
/// A filterset over metric names: <c>strict</c> is exact equality; <c>regexp</c> is Go's unanchored
/// <c>MatchString</c> (upstream internal/filter/filterset/regexp).
/// </summary>
internal sealed class NameMatcher(string matchType, IReadOnlyList<string> names)
{
    private readonly HashSet<string> _strict = new(names, StringComparer.Ordinal);
    private readonly Regex[] _regexps = matchType == "regexp" ? names.Select(n => new Regex(n, RegexOptions.CultureInvariant)).ToArray() : [];

    public bool Matches(string name) => matchType == "strict" ? _strict.Contains(name) : _regexps.Any(r => r.IsMatch(name));
}
