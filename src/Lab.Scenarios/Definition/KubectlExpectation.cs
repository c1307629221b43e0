using System.Text.RegularExpressions;

namespace OtelLab.Scenarios.Definition;

/// <summary>What a <see cref="KubectlStep"/> must show (<c>expect:</c>): its exit code, lines it prints, a pattern its output matches.</summary>
public sealed record KubectlExpectation
{
    public int ExitCode { get; init; }

    /// <summary>Substrings stdout must contain, each of them.</summary>
    public IReadOnlyList<string> StdoutContains { get; init; } = [];

    /// <summary>A .NET regular expression stdout must match (multiline: <c>^</c> and <c>$</c> match at each line).</summary>
    public Regex? StdoutMatches { get; init; }

    /// <summary>A .NET regular expression stdout must not match (e.g. a failure counter above zero).</summary>
    public Regex? StdoutNotMatches { get; init; }

    /// <summary>What the run missed, one sentence each; empty when it met every expectation.</summary>
    public IReadOnlyList<string> Misses(int exitCode, string stdout)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        var misses = new List<string>();
        if (exitCode != ExitCode)
        {
            misses.Add($"exit code {exitCode}, expected {ExitCode}");
        }

        misses.AddRange(StdoutContains.Where(s => !stdout.Contains(s, StringComparison.Ordinal)).Select(s => $"stdout does not contain \"{s}\""));
        if (StdoutMatches is { } pattern && !pattern.IsMatch(stdout))
        {
            misses.Add($"stdout does not match /{pattern}/");
        }

        if (StdoutNotMatches?.Match(stdout) is { Success: true } found)
        {
            misses.Add($"stdout matches /{StdoutNotMatches}/: \"{found.Value.Trim()}\"");
        }

        return misses;
    }
}
