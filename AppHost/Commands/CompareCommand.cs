using System.CommandLine;
using System.Text.RegularExpressions;
using OtelLab.AppHost.Lab;
using OtelLab.Lint;
using OtelLab.Model.Manifests;
using OtelLab.Scenarios.Checks;
using OtelLab.Scenarios.Comparing;
using OtelLab.Scenarios.Definition;
using OtelLab.Scenarios.GitOps;
using OtelLab.Sim.ArgoCd.Internal;
using OtelLab.Sim.Networking;

namespace OtelLab.AppHost.Commands;

/// <summary>
/// <c>compare</c>, the pull-request gate: two revisions of the manifests Argo CD delivers — two git revisions of the
/// GitOps repository (the user's, or the one the scenario's gitops block builds with its commit steps replayed as real
/// commits), or two folders — linted, and (unless <c>--lint-only</c>) each run in the lab with the scenario's load; the
/// report says what the change does (<see cref="CompareReport"/>). Exit 1 on a regression, 2 on bad input.
/// </summary>
internal static class CompareCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var scenario = new Option<string?>("--scenario", "-s") { Description = "The scenario whose settings (other manifests, install, load) apply to both sides." };
        var baseRev = new Option<string>("--base", "--from") { Description = "The base: a git revision of the GitOps repository, or a folder of manifests.", Required = true };
        var headRev = new Option<string>("--head", "--to") { Description = "The change: a git revision, or a folder of manifests.", Required = true };
        var repo = new Option<string?>("--gitops-repo") { Description = "Your GitOps repository; default: the scenario's gitops block built with its commit steps (HEAD~N names them)." };
        var format = new Option<string>("--format") { Description = "What stdout gets: markdown (a PR comment) or json; both and the HTML report are written to the output folder.", DefaultValueFactory = _ => "markdown" };
        var lintOnly = new Option<bool>("--lint-only") { Description = "Only the lint rules over both sides: no lab runs (seconds instead of two runs of the scenario)." };
        var checks = new Option<bool>("--checks") { Description = "Run the lab on both sides (the default; kept for scripts that pass it)." };
        var output = new Option<string?>("--out", "-o") { Description = "Write compare.md, compare.json and compare.html here (default: artifacts/<scenario>/compare/)." };
        format.AcceptOnlyFromAmong("markdown", "json");
        var command = new Command("compare", "What a change to the GitOps manifests does, measured by running the lab on both sides with the same load: "
            + "lint findings, checks, targets moved, keep rates, items per tier, backend rejections and drops (exit 1 on a regression, 2 on bad input).")
        {
            scenario, baseRev, headRev, repo, format, lintOnly, checks, output,
        };
        command.SetAction((parse, ct) =>
        {
            if (parse.GetValue(lintOnly) && parse.GetValue(checks))
            {
                stderr.WriteLine("error: compare: --lint-only and --checks contradict each other; pass one (the lab runs by default)");
                return Task.FromResult(LabCli.ExitUsage);
            }

            return RunAsync(new Request(parse.GetValue(scenario), parse.GetValue(baseRev)!, parse.GetValue(headRev)!, parse.GetValue(repo), parse.GetValue(format)!, !parse.GetValue(lintOnly), parse.GetValue(output)), stdout, stderr, ct);
        });
        return command;
    }

    private sealed record Request(string? Scenario, string Base, string Head, string? Repository, string Format, bool RunLab, string? Output);

    private static async Task<int> RunAsync(Request request, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var (name, baseRev, headRev, repoDir) = (request.Scenario, request.Base, request.Head, request.Repository);
        var scenario = await ScenarioSelection.ResolveAsync(name, null, stderr).ConfigureAwait(false);
        if (scenario is null)
        {
            return LabCli.ExitUsage;
        }

        using var work = new ScratchFolder();
        // Both sides on one address slot, held for the whole comparison: the Target Allocator hashes each target's
        // address, so sides on different addresses would move targets by their addresses alone.
        using var slot = request.RunLab ? LoopbackAddressSlot.Claim() : null;
        IReadOnlyList<Finding> before, after;
        string describedBase = baseRev, describedHead = headRev;
        var folders = Directory.Exists(baseRev) && Directory.Exists(headRev);
        if (!folders && (Directory.Exists(baseRev) || Directory.Exists(headRev)))
        {
            await stderr.WriteLineAsync($"error: compare --base {baseRev} --head {headRev}: one side is a folder and the other is not; give two folders of manifests, or two git revisions").ConfigureAwait(false);
            return LabCli.ExitUsage;
        }

        var runs = new List<(ScenarioRunResult Run, RunMeasurement Measured)>();
        if (folders)
        {
            before = Lint(scenario, Path.GetFullPath(baseRev));
            after = Lint(scenario, Path.GetFullPath(headRev));
            if (request.RunLab)
            {
                foreach (var folder in new[] { baseRev, headRev })
                {
                    if (await RunFolderAsync(scenario, Path.GetFullPath(folder), work.Path, stderr, slot, cancellationToken).ConfigureAwait(false) is not { } run)
                    {
                        return LabCli.ExitUsage;
                    }

                    runs.Add(run);
                }
            }
        }
        else
        {
            if (scenario.GitOps is null && repoDir is null)
            {
                await stderr.WriteLineAsync($"error: compare --base {baseRev} --head {headRev}: scenario {scenario.Name} has no gitops block and no --gitops-repo was given; "
                    + "pass two folders of manifests, or --gitops-repo DIR with two of its revisions").ConfigureAwait(false);
                return LabCli.ExitUsage;
            }

            var path = scenario.GitOps?.Path;
            string repository;
            if (repoDir is not null)
            {
                if (await GitOpsRepoArgument.ResolveAsync(repoDir, scenario, stderr, cancellationToken).ConfigureAwait(false) is null)
                {
                    return LabCli.ExitUsage;
                }

                repository = Path.GetFullPath(repoDir);
                path ??= ManifestLoader.Load(scenario.ManifestPaths, recursive: true).Typed<Model.Crds.ArgoApplication>().Select(t => t.Model.Path).FirstOrDefault() ?? ".";
            }
            else
            {
                // The scenario's repository as its run builds it: the start commit, then each commit step as a real commit.
                repository = Path.Combine(work.Path, "repo");
                await GitOpsRepository.CreateAsync(scenario.GitOps!, repository, cancellationToken).ConfigureAwait(false);
                foreach (var step in scenario.GitOps!.Steps.Where(s => s.Kind == GitOpsStepKind.Commit))
                {
                    await GitOpsRepository.CommitAsync(repository, scenario.GitOps.Path, step, cancellationToken).ConfigureAwait(false);
                }
            }

            var resolved = new List<string>();
            foreach (var rev in new[] { baseRev, headRev })
            {
                var (exit, sha, error) = await GitCli.RunAsync(repository, ["rev-parse", "--verify", "-q", rev + "^{commit}"], cancellationToken).ConfigureAwait(false);
                if (exit != 0)
                {
                    var (_, log, _) = await GitCli.RunAsync(repository, ["log", "--oneline", "-n", "10"], cancellationToken).ConfigureAwait(false);
                    await stderr.WriteLineAsync($"error: compare: {rev} is neither a folder nor a revision of {repository}{(error.Trim().Length > 0 ? " (" + error.Trim() + ")" : string.Empty)}; name a commit, branch or tag (HEAD~1, main, a SHA), e.g. one of:\n{log.TrimEnd()}").ConfigureAwait(false);
                    return LabCli.ExitUsage;
                }

                resolved.Add(sha.Trim());
            }

            var verdict = new RevisionVerdict(scenario, repository, work.Path);
            before = await verdict.FindingsAsync(resolved[0], path!, cancellationToken).ConfigureAwait(false);
            after = await verdict.FindingsAsync(resolved[1], path!, cancellationToken).ConfigureAwait(false);
            if (request.RunLab)
            {
                // One side after the other on the one held address slot (never side by side: a lab beside another
                // holds another slot, and the Target Allocator hashes each target's address).
                foreach (var sha in resolved)
                {
                    if (await RunSideAsync(scenario, repository, sha, work.Path, stderr, slot, cancellationToken).ConfigureAwait(false) is not { } run)
                    {
                        return LabCli.ExitUsage;
                    }

                    runs.Add(run);
                }
            }

            describedBase = $"{baseRev} ({resolved[0][..7]}: {await SubjectAsync(repository, resolved[0], cancellationToken).ConfigureAwait(false)})";
            describedHead = $"{headRev} ({resolved[1][..7]}: {await SubjectAsync(repository, resolved[1], cancellationToken).ConfigureAwait(false)})";
        }

        var report = new CompareReport
        {
            Scenario = scenario.Name,
            Base = describedBase,
            Head = describedHead,
            Lint = FindingsDiff.Of(before, after),
            Checks = runs.Count == 2 ? (runs[0].Run.Checks, runs[1].Run.Checks) : null,
            BaseRun = runs.Count == 2 ? runs[0].Measured : null,
            HeadRun = runs.Count == 2 ? runs[1].Measured : null,
        };

        // A revision's files are read from a scratch checkout: name them by revision instead (abc1234:path/file.yaml).
        string Named(string text) => Regex.Replace(text, Regex.Escape(work.Path) + "/verdict-([0-9a-f]{7})[0-9a-f]*/", "$1:");
        var markdown = Named(CompareMarkdown.Write(report));
        var json = Named(CompareJson.Write(report));
        var dir = request.Output ?? Path.Combine("artifacts", scenario.Name, "compare");
        Directory.CreateDirectory(dir);
        foreach (var (file, text) in new[] { ("compare.md", markdown), ("compare.json", json), ("compare.html", Named(CompareHtml.Write(report))) })
        {
            await File.WriteAllTextAsync(Path.Combine(dir, file), text, cancellationToken).ConfigureAwait(false);
        }

        await stdout.WriteAsync(request.Format == "json" ? json : markdown).ConfigureAwait(false);
        await stderr.WriteLineAsync($"compare: {(report.Regressed ? "regression" : "no regression")}; reports in {Path.GetFullPath(dir)} (compare.md, compare.json, compare.html)").ConfigureAwait(false);
        return report.Regressed ? LabCli.ExitFindings : 0;
    }

    /// <summary>
    /// One side given as a folder: for a scenario whose collectors Argo CD delivers, a fresh repository holding the folder
    /// under the Application's path, synced as a git side is; otherwise the scenario run with the folder as its manifests.
    /// </summary>
    private static async Task<(ScenarioRunResult, RunMeasurement)?> RunFolderAsync(ScenarioDefinition scenario, string folder, string work, TextWriter progress, LoopbackAddressSlot? slot, CancellationToken cancellationToken)
    {
        if (scenario.GitOps is not { } gitops)
        {
            await progress.WriteLineAsync($"== compare: {scenario.Name} with the manifests of {folder}").ConfigureAwait(false);
            return await RunMeasuredAsync(scenario with { ManifestsPath = folder, ManifestPaths = [folder] }, progress, null, slot, cancellationToken).ConfigureAwait(false);
        }

        var repository = Path.Combine(work, "folder-" + Guid.NewGuid().ToString("N")[..8]);
        var target = Path.Combine(repository, gitops.Path);
        CopyTree(folder, target);
        foreach (var args in new[]
        {
            new[] { "init", "-q", "-b", GitOpsRepository.Branch },
            ["add", "-A"],
            ["-c", "user.name=otel-lab", "-c", "user.email=lab@otel-lab.invalid", "-c", "commit.gpgsign=false", "commit", "-q", "-m", $"{gitops.Path}: {folder}"],
        })
        {
            var (exit, _, error) = await GitCli.RunAsync(repository, args, cancellationToken).ConfigureAwait(false);
            if (exit != 0)
            {
                await progress.WriteLineAsync($"error: compare: git {string.Join(' ', args)} for {folder}: {error.Trim()}").ConfigureAwait(false);
                return null;
            }
        }

        var (_, sha, _) = await GitCli.RunAsync(repository, ["rev-parse", "HEAD"], cancellationToken).ConfigureAwait(false);
        return await RunSideAsync(scenario, repository, sha.Trim(), work, progress, slot, cancellationToken).ConfigureAwait(false);
    }

    private static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }

    /// <summary>A full <c>test</c> run of the scenario, measured once its checks are done (before the lab stops).</summary>
    private static async Task<(ScenarioRunResult, RunMeasurement)?> RunMeasuredAsync(ScenarioDefinition scenario, TextWriter progress, Scenarios.GitOps.GitOpsOptions? gitops, LoopbackAddressSlot? slot, CancellationToken cancellationToken)
    {
        RunMeasurement? measured = null;
        var run = await TestCommand.RunLabAsync(scenario, isStatic: false, dataWithin: null, progress, progress, cancellationToken, gitops, measure: lab => measured = RunMeasurement.Take(lab), addressSlot: slot).ConfigureAwait(false);
        return run is null || measured is null ? null : (run, measured);
    }

    /// <summary>
    /// One side of a <c>--checks</c> comparison: a clone of the repository whose Application branch points at
    /// <paramref name="sha"/>, and a full <c>test</c> run of the scenario synced from it (its gitops steps do not run).
    /// </summary>
    private static async Task<(ScenarioRunResult, RunMeasurement)?> RunSideAsync(ScenarioDefinition scenario, string repository, string sha, string work, TextWriter progress, LoopbackAddressSlot? slot, CancellationToken cancellationToken)
    {
        var clone = Path.Combine(work, "side-" + sha[..12]);
        var branch = RevisionChecksProcess.BranchOf(scenario);
        foreach (var args in new[] { new[] { "clone", "-q", repository, clone } })
        {
            var (exit, _, error) = await GitCli.RunAsync(work, args, cancellationToken).ConfigureAwait(false);
            if (exit != 0)
            {
                await progress.WriteLineAsync($"error: compare --checks: git clone {repository}: {error.Trim()}").ConfigureAwait(false);
                return null;
            }
        }

        var (checkout, _, checkoutError) = await GitCli.RunAsync(clone, ["checkout", "-q", "-B", branch, sha], cancellationToken).ConfigureAwait(false);
        if (checkout != 0)
        {
            await progress.WriteLineAsync($"error: compare --checks: git checkout -B {branch} {sha[..7]}: {checkoutError.Trim()}").ConfigureAwait(false);
            return null;
        }

        var gitops = await GitOpsRepoArgument.ResolveAsync(clone, scenario, progress, cancellationToken).ConfigureAwait(false);
        await progress.WriteLineAsync($"== compare --checks: {scenario.Name} at {sha[..7]}").ConfigureAwait(false);
        return gitops is null ? null : await RunMeasuredAsync(scenario, progress, gitops, slot, cancellationToken).ConfigureAwait(false);
    }

    private static IReadOnlyList<Finding> Lint(ScenarioDefinition scenario, string folder)
    {
        // A folder is what the Application's path holds: the scenario's directly applied manifests apply to both sides.
        var manifests = ManifestLoader.Load(scenario.GitOps is null ? [folder] : [.. scenario.ManifestPaths, folder], recursive: true);
        return Linter.Run(manifests, install: scenario.Install);
    }

    private static async Task<string> SubjectAsync(string repository, string sha, CancellationToken cancellationToken) =>
        (await GitCli.RunAsync(repository, ["log", "-1", "--format=%s", sha], cancellationToken).ConfigureAwait(false)).Output.Trim();

    private sealed class ScratchFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("otel-lab-compare-").FullName;

        public void Dispose()
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
                // a leftover temp folder is harmless
            }
        }
    }
}
