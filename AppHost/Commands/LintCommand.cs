using System.CommandLine;
using OtelLab.AppHost.Output;
using OtelLab.Lint;
using OtelLab.Lint.Reporting;
using OtelLab.Model.Manifests;

namespace OtelLab.AppHost.Commands;

/// <summary><c>lint [paths…]</c>: static findings over manifests, no cluster needed.</summary>
internal static class LintCommand
{
    private static readonly string[] Formats = ["text", "json", "sarif"];
    private static readonly string[] FailOn = ["error", "warning", "note", "never"];

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var paths = new Argument<string[]>("paths")
        {
            Description = "Manifest files or folders, as for kubectl apply -f (default: the bundled payments scenario).",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var recursive = new Option<bool>("--recursive", "-R") { Description = "Process folders recursively, like kubectl -R." };
        var format = new Option<string>("--format") { Description = "Output format.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong(Formats);
        var failOn = new Option<string>("--fail-on") { Description = "Exit 1 when findings at or above this severity exist.", DefaultValueFactory = _ => "error" };
        failOn.AcceptOnlyFromAmong(FailOn);
        var output = new Option<string?>("--output", "-o") { Description = "Write the report to this file instead of standard output." };

        var command = new Command("lint", "Check manifests for the defects that bite in production (no cluster needed).")
        {
            paths, recursive, format, failOn, output,
        };
        command.SetAction((parse, ct) => RunAsync(
            parse.GetValue(paths) ?? [],
            parse.GetValue(recursive),
            parse.GetValue(format) ?? "text",
            parse.GetValue(failOn) ?? "error",
            parse.GetValue(output),
            stdout,
            stderr,
            ct));
        return command;
    }

    public static async Task<int> RunAsync(
        string[] paths, bool recursive, string format, string failOn, string? output, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        string subject;
        if (paths.Length == 0)
        {
            var scenario = BundledScenarios.Locate(BundledScenarios.Default);
            if (scenario is null)
            {
                await stderr.WriteLineAsync($"error: the bundled scenario '{BundledScenarios.Default}' was not found next to the binary or under ./scenarios").ConfigureAwait(false);
                await stderr.WriteLineAsync("  fix: run from the repository root, or pass the manifests to lint: lint path/to/manifests").ConfigureAwait(false);
                return LabCli.ExitUsage;
            }

            paths = [BundledScenarios.Display(Path.Combine(scenario, "manifests"))];
            recursive = true;
            subject = $"scenario {BundledScenarios.Default}";
        }
        else
        {
            subject = string.Join(", ", paths);
        }

        var manifests = ManifestLoader.Load(paths.Select(BundledScenarios.Display), recursive);
        if (manifests.Errors.Count > 0)
        {
            await stderr.WriteLineAsync($"error: {manifests.Errors.Count} problem(s) make the input unusable:").ConfigureAwait(false);
            foreach (var e in manifests.Errors)
            {
                await stderr.WriteLineAsync($"  {e.Location}: {e.Message}").ConfigureAwait(false);
                if (e.Hint is not null)
                {
                    await stderr.WriteLineAsync($"    fix: {e.Hint}").ConfigureAwait(false);
                }
            }

            return LabCli.ExitUsage;
        }

        var findings = Linter.Run(manifests);
        var report = format switch
        {
            "json" => FindingJsonWriter.Write(findings),
            "sarif" => SarifWriter.Write(findings, Linter.Rules),
            _ => null,
        };

        if (output is not null)
        {
            using var file = new StreamWriter(output);
            if (report is null)
            {
                FindingConsoleWriter.Write(file, findings, subject, color: false);
            }
            else
            {
                await file.WriteAsync(report.AsMemory(), cancellationToken).ConfigureAwait(false);
            }

            await stdout.WriteLineAsync($"wrote {findings.Count} finding(s) to {output}").ConfigureAwait(false);
        }
        else if (report is null)
        {
            var color = ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected;
            FindingConsoleWriter.Write(stdout, findings, $"{subject} ({manifests.Objects.Count} objects in {manifests.Files.Count} files)", color);
        }
        else
        {
            await stdout.WriteLineAsync(report).ConfigureAwait(false);
        }

        var threshold = failOn switch
        {
            "warning" => Severity.Warning,
            "note" => Severity.Note,
            "never" => (Severity?)null,
            _ => Severity.Error,
        };
        return threshold is { } t && findings.Any(f => f.Severity >= t) ? LabCli.ExitFindings : 0;
    }
}
