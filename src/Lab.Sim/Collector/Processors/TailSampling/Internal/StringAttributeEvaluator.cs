using System.Text.RegularExpressions;
using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Sim.Collector.Processors.TailSampling.Internal;

/// <summary>
/// upstream: internal/sampling string_tag_filter.go.
/// <list type="bullet">
/// <item>Exact mode: a set of the non-empty values. Regex mode: unanchored <c>MatchString</c> against each value
/// (upstream's comment says "anchored" but the code does not anchor), results memoised in an LRU of
/// <c>cache_max_size</c> (default 128).</item>
/// <item>Resource attributes are matched on <c>v.Str()</c> (so a non-string resource value is matched as "");
/// span attributes are skipped when <c>Str()</c> is empty.</item>
/// <item>invert_match returns InvertNotSampled at the first match, else InvertSampled.</item>
/// </list>
/// Stand-in: .NET's NonBacktracking engine is used for RE2 (both refuse backreferences and lookaround); Unicode
/// classes such as <c>\d</c> are broader in .NET than in RE2.
/// </summary>
internal sealed class StringAttributeEvaluator : IPolicyEvaluator
{
    private const int DefaultCacheSize = 128;

    private readonly string _key;
    private readonly bool _invertMatch;
    private readonly HashSet<string>? _values;
    private readonly Regex[]? _patterns;
    private readonly LruCache<string, bool>? _matchCache;
    private readonly Lock _cacheLock = new();

    public StringAttributeEvaluator(string key, IReadOnlyList<string> values, bool regexMatchEnabled, int cacheMaxSize, bool invertMatch)
    {
        _key = key;
        _invertMatch = invertMatch;
        if (regexMatchEnabled)
        {
            _patterns = [.. values.Select(Compile)];
            _matchCache = new LruCache<string, bool>(cacheMaxSize <= 0 ? DefaultCacheSize : cacheMaxSize);
        }
        else
        {
            _values = [.. values.Where(v => v.Length > 0)];
        }
    }

    public SamplingDecision Evaluate(TraceId traceId, IReadOnlyList<TraceSpan> spans)
    {
        if (_invertMatch)
        {
            return SpanConditions.InvertHasResourceOrSpan(
                spans,
                resource => !(resource.Attributes.TryGetValue(_key, out var v) && Matches(v.Str)),
                span => !(span.Attributes.TryGetValue(_key, out var v) && v.Str.Length > 0 && Matches(v.Str)));
        }

        return SpanConditions.HasResourceOrSpan(
            spans,
            resource => resource.Attributes.TryGetValue(_key, out var v) && Matches(v.Str),
            span => span.Attributes.TryGetValue(_key, out var v) && v.Str.Length > 0 && Matches(v.Str));
    }

    private bool Matches(string value)
    {
        if (_values is not null)
        {
            return _values.Contains(value);
        }

        lock (_cacheLock)
        {
            if (_matchCache!.TryGet(value, out var cached))
            {
                return cached;
            }

            var matched = _patterns!.Any(p => p.IsMatch(value));
            _matchCache.Add(value, matched);
            return matched;
        }
    }

    private static Regex Compile(string pattern)
    {
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
        }
        catch (ArgumentException ex)
        {
            // upstream regexp.MustCompile panics at start: "regexp: Compile(`<expr>`): error parsing regexp: …"
            // (the reason after the colon is .NET's wording, not RE2's).
            throw new ArgumentException($"regexp: Compile(`{pattern}`): {ex.Message}", ex);
        }
        catch (NotSupportedException ex)
        {
            throw new ArgumentException($"regexp: Compile(`{pattern}`): {ex.Message}", ex);
        }
    }
}
