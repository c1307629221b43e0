using OtelLab.Model;

namespace OtelLab.Scenarios.Definition;

/// <summary>
/// One <c>steps:</c> entry: a real kubectl run against the lab's own kubeconfig once the lab is ready, e.g.
/// <c>- kubectl: [get, pods, -n, observability]</c> with <c>expect: { exitCode: 0, stdoutContains: [Running] }</c>.
/// Steps run in order; their output goes to the report and a missed expectation is a finding.
/// </summary>
public sealed record KubectlStep
{
    /// <summary>The version kubectl runs by default (the machine's <c>kubectl</c>).</summary>
    public const string DefaultVersion = "1.32";

    /// <summary>kubectl's arguments, verbatim (no shell: a pipe or a glob is an argument like any other).</summary>
    public required IReadOnlyList<string> Arguments { get; init; }

    /// <summary><c>1.NN</c>: which kubectl runs (<c>kubectlVersion:</c>).</summary>
    public string Version { get; init; } = DefaultVersion;

    public KubectlExpectation Expect { get; init; } = new();

    /// <summary>
    /// Wall time the step may be run again (once a second) until it meets its expectations (<c>within:</c>), for what
    /// the guide promises of a pipeline in motion ("rising exporter_sent_spans"); zero runs it once.
    /// </summary>
    public TimeSpan Within { get; init; }

    /// <summary>Where the step is written (file:line).</summary>
    public required SourceLocation Location { get; init; }

    /// <summary>The command as a person would type it.</summary>
    public string CommandLine => string.Join(' ', new[] { Version == DefaultVersion ? "kubectl" : $"kubectl.{Version}" }.Concat(Arguments.Select(Quote)));

    public override string ToString() => CommandLine;

    private static string Quote(string a) => a.Length > 0 && a.All(c => char.IsLetterOrDigit(c) || "-_./=:,@%+".Contains(c, StringComparison.Ordinal)) ? a : "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
