using System.CommandLine;
using OtelLab.AppHost.Output;
using OtelLab.Lint;
using OtelLab.Lint.Reporting;
using OtelLab.Lint.Upgrades;
using OtelLab.Model;
using OtelLab.Model.Install;
using OtelLab.Model.Manifests;
using OtelLab.Scenarios.Definition;

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
            Description = "Manifest files or folders, as for kubectl apply -f, or scenario folders (their manifests and Helm install; default: the bundled payments scenario).",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var recursive = new Option<bool>("--recursive", "-R") { Description = "Process folders recursively, like kubectl -R." };
        var format = new Option<string>("--format") { Description = "Output format.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong(Formats);
        var failOn = new Option<string>("--fail-on") { Description = "Exit 1 when findings at or above this severity exist.", DefaultValueFactory = _ => "error" };
        failOn.AcceptOnlyFromAmong(FailOn);
        var output = new Option<string?>("--output", "-o") { Description = "Write the report to this file instead of standard output." };
        var upgradeTo = new Option<string?>("--upgrade-to") { Description = "Instead of the rules: what breaks or changes when the collectors' image tag moves to this version (e.g. 0.113.0), or the operator (operator:0.110.0), each with its changelog entry." };

        var command = new Command("lint", "Check manifests for the defects that bite in production (no cluster needed).")
        {
            paths, recursive, format, failOn, output, upgradeTo,
        };
        command.SetAction((parse, ct) => RunAsync(
            parse.GetValue(paths) ?? [],
            parse.GetValue(recursive),
            parse.GetValue(format) ?? "text",
            parse.GetValue(failOn) ?? "error",
            parse.GetValue(output),
            stdout,
            stderr,
            ct,
            parse.GetValue(upgradeTo)));
        return command;
    }

    public static async Task<int> RunAsync(
        string[] paths, bool recursive, string format, string failOn, string? output, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken, string? upgradeTo = null)
    {
        UpgradeTarget? target = null;
        if (upgradeTo is not null && !UpgradeTarget.TryParse(upgradeTo, out target, out var targetError))
        {
            await stderr.WriteLineAsync("error: " + targetError).ConfigureAwait(false);
            return LabCli.ExitUsage;
        }

        string subject;
        var install = InstallSpec.None;
        if (paths.Length == 0)
        {
            var scenario = BundledScenarios.Locate(BundledScenarios.Default);
            if (scenario is null)
            {
                await stderr.WriteLineAsync($"error: the bundled scenario '{BundledScenarios.Default}' was not found next to the binary or under ./scenarios").ConfigureAwait(false);
                await stderr.WriteLineAsync("  fix: run from the repository root, or pass the manifests to lint: lint path/to/manifests").ConfigureAwait(false);
                return LabCli.ExitUsage;
            }

            paths = [BundledScenarios.Display(scenario)];
            subject = $"scenario {BundledScenarios.Default}";
        }
        else
        {
            subject = string.Join(", ", paths);
        }

        // A scenario folder (with scenario.yaml) lints its manifests together with its declared Helm install.
        var inputs = new List<string>();
        var releases = new List<HelmRelease>();
        foreach (var path in paths.Select(BundledScenarios.Display))
        {
            if (!Directory.Exists(path) || !File.Exists(Path.Combine(path, "scenario.yaml")))
            {
                inputs.Add(path);
                continue;
            }

            try
            {
                var scenario = ScenarioLoader.Load(path);
                inputs.AddRange(scenario.ManifestPaths);
                releases.AddRange(scenario.Install.Releases);
                recursive = true;
            }
            catch (ManifestException e)
            {
                await stderr.WriteLineAsync($"error: {e.Location}: {e.Message}").ConfigureAwait(false);
                if (e.Hint is not null)
                {
                    await stderr.WriteLineAsync($"  fix: {e.Hint}").ConfigureAwait(false);
                }

                return LabCli.ExitUsage;
            }
        }

        install = new InstallSpec { Releases = releases };
        var manifests = ManifestLoader.Load(inputs, recursive);
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

        var findings = target is null ? Linter.Run(manifests, install: install) : UpgradeCheck.Run(manifests, target, install);
        if (target is not null)
        {
            subject = $"upgrade to {target}: {subject}";
        }

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
