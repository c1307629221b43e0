using System.Text.RegularExpressions;
using OtelLab.Model.Go;

namespace OtelLab.Sim.Relabeling;

/// <summary>
/// A relabel regex: fully anchored like upstream <c>relabel.NewRegexp</c> (<c>^(?:expr)$</c>), evaluated with .NET
/// regex after translating the RE2 spellings .NET lacks (<c>(?P&lt;name&gt;…)</c>) and keeping Go's group numbering;
/// the Perl constructs RE2 lacks (lookarounds, backreferences, …) are refused with Go's parse error, as the collector
/// refuses its configuration.
/// Differences that remain: <c>\d</c>, <c>\w</c>, <c>\s</c> are Unicode-aware in .NET and ASCII in RE2.
/// </summary>
public sealed class RelabelRegex
{
    // RE2 matches in time linear in the input, whatever the expression; .NET's backtracking engine, faster on the usual
    // expression, can take exponential time on one like (a+)+b against a long run of a's. A match that runs past this
    // is matched again by the non-backtracking engine (linear, as RE2, and with the same leftmost-first captures on
    // whole-input matches: pinned in RelabelRegexTests), so the answer is RE2's either way and the limit only bounds
    // the time lost.
    private static readonly TimeSpan BacktrackingLimit = TimeSpan.FromMilliseconds(100);

    /// <summary>The default regex <c>(.*)</c> (upstream DefaultRelabelConfig.Regex).</summary>
    public static RelabelRegex Default { get; } = new("(.*)");

    private readonly string[] _groupNames;

    /// <summary>Compiles <paramref name="expression"/>; throws <see cref="ArgumentException"/> with the reason when invalid.</summary>
    public RelabelRegex(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        Expression = expression;
        try
        {
            (Regex, _groupNames) = GoRegexSyntax.CompileRelabel(expression, BacktrackingLimit);
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"invalid relabel regex \"{expression}\": {ex.Message}", nameof(expression), ex);
        }
    }

    private Regex? _linear;

    /// <summary>The expression as written (without the anchors).</summary>
    public string Expression { get; }

    internal Regex Regex { get; }

    private Regex Linear => LazyInitializer.EnsureInitialized(ref _linear, () => new Regex(Regex.ToString(), RegexOptions.CultureInvariant | RegexOptions.NonBacktracking));

    /// <summary>True when the whole input matches.</summary>
    public bool IsMatch(string input)
    {
        try
        {
            return Regex.IsMatch(input);
        }
        catch (RegexMatchTimeoutException)
        {
            return Linear.IsMatch(input);
        }
    }

    /// <summary>Expands a Go template (<c>$1</c>, <c>${1}</c>, <c>$name</c>, <c>$$</c>) against a match of the whole input; null when no match.</summary>
    public string? MatchAndExpand(string input, string template)
    {
        var match = Match(input);
        return match.Success ? Expand(template, match) : null;
    }

    /// <summary>The match of the whole input (unsuccessful when it does not match).</summary>
    internal Match Match(string input)
    {
        try
        {
            return Regex.Match(input);
        }
        catch (RegexMatchTimeoutException)
        {
            return MatchLinearly(input);
        }
    }

    /// <summary>The match of the whole input by the non-backtracking engine (what a match past the backtracking limit gets).</summary>
    internal Match MatchLinearly(string input) => Linear.Match(input);

    internal string Expand(string template, Match match) => GoRegexpExpand.Expand(template, match, _groupNames);

    public override string ToString() => Expression;
}
