using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OtelLab.AppHost.Lab;
using OtelLab.Lint;
using OtelLab.Model.Manifests;
using OtelLab.Scenarios.Definition;
using OtelLab.Scenarios.GitOps;
using OtelLab.Sim.ArgoCd.Internal;

namespace OtelLab.AppHost.Commands;

/// <summary>
/// <c>compare</c>, the pull-request gate: the scenario's lint rules run over two revisions of the manifests Argo CD
/// delivers — two git revisions of the GitOps repository (the user's, or the one the scenario's gitops block builds
/// with its commit steps replayed as real commits), or two folders — and the report says what the change does:
/// findings introduced, fixed and unchanged, each with its evidence. Exit 1 when the change introduces an error.
/// </summary>
internal static class CompareCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var scenario = new Option<string?>("--scenario", "-s") { Description = "The scenario whose settings (other manifests, install) apply to both sides." };
        var baseRev = new Option<string>("--base", "--from") { Description = "The base: a git revision of the GitOps repository, or a folder of manifests.", Required = true };
        var headRev = new Option<string>("--head", "--to") { Description = "The change: a git revision, or a folder of manifests.", Required = true };
        var repo = new Option<string?>("--gitops-repo") { Description = "Your GitOps repository; default: the scenario's gitops block built with its commit steps (HEAD~N names them)." };
        var format = new Option<string>("--format") { Description = "markdown (a PR comment) or json.", DefaultValueFactory = _ => "markdown" };
        var checks = new Option<bool>("--checks") { Description = "Also run the lab on each revision (the same scenario and load) and compare its checks: slow, two lab runs." };
        format.AcceptOnlyFromAmong("markdown", "json");
        var command = new Command("compare", "What a change to the GitOps manifests does: lint findings introduced, fixed and unchanged between two revisions (exit 1 when it introduces an error).")
        {
            scenario, baseRev, headRev, repo, format, checks,
        };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(scenario), parse.GetValue(baseRev)!, parse.GetValue(headRev)!, parse.GetValue(repo), parse.GetValue(format)!, stdout, stderr, ct, parse.GetValue(checks)));
        return command;
    }

    private static async Task<int> RunAsync(string? name, string baseRev, string headRev, string? repoDir, string format, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken,
        bool withChecks = false)
    {
        var scenario = await ScenarioSelection.ResolveAsync(name, null, stderr).ConfigureAwait(false);
        if (scenario is null)
        {
            return LabCli.ExitUsage;
        }

        using var work = new ScratchFolder();
        IReadOnlyList<Finding> before, after;
        string describedBase = baseRev, describedHead = headRev;
        (IReadOnlyList<Scenarios.Checks.CheckResult> Base, IReadOnlyList<Scenarios.Checks.CheckResult> Head)? checkRuns = null;
        if (Directory.Exists(baseRev) && Directory.Exists(headRev))
        {
            if (withChecks)
            {
                await stderr.WriteLineAsync("error: compare --checks: the lab runs from git revisions; give --base and --head as revisions of the GitOps repository").ConfigureAwait(false);
                return LabCli.ExitUsage;
            }

            before = Lint(scenario, Path.GetFullPath(baseRev));
            after = Lint(scenario, Path.GetFullPath(headRev));
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
            if (withChecks)
            {
                var sides = new List<IReadOnlyList<Scenarios.Checks.CheckResult>>();
                foreach (var sha in resolved)
                {
                    if (await RunSideAsync(scenario, repository, sha, work.Path, stderr, cancellationToken).ConfigureAwait(false) is not { } run)
                    {
                        return LabCli.ExitUsage;
                    }

                    sides.Add(run);
                }

                checkRuns = (sides[0], sides[1]);
            }

            describedBase = $"{baseRev} ({resolved[0][..7]}: {await SubjectAsync(repository, resolved[0], cancellationToken).ConfigureAwait(false)})";
            describedHead = $"{headRev} ({resolved[1][..7]}: {await SubjectAsync(repository, resolved[1], cancellationToken).ConfigureAwait(false)})";
        }

        var diff = FindingsDiff.Of(before, after);
        var report = format == "json" ? Json(scenario, describedBase, describedHead, diff) : Markdown(scenario, describedBase, describedHead, diff);
        var checksRegressed = false;
        if (checkRuns is { } runs)
        {
            var (section, regressed) = ChecksSection(runs.Base, runs.Head, format == "json");
            checksRegressed = regressed;
            report = format == "json"
                ? report.TrimEnd().TrimEnd('}').TrimEnd() + ",\n  \"checks\": " + section + "\n}\n"
                : report + section;
        }


        // A revision's files are read from a scratch checkout: name them by revision instead (abc1234:path/file.yaml).
        report = System.Text.RegularExpressions.Regex.Replace(report, System.Text.RegularExpressions.Regex.Escape(work.Path) + "/verdict-([0-9a-f]{7})[0-9a-f]*/", "$1:");
        await stdout.WriteAsync(report).ConfigureAwait(false);
        return diff.Introduced.Any(f => f.Severity == Severity.Error) || checksRegressed ? LabCli.ExitFindings : 0;
    }

    /// <summary>
    /// One side of a <c>--checks</c> comparison: a clone of the repository whose Application branch points at
    /// <paramref name="sha"/>, and a full <c>test</c> run of the scenario synced from it (its gitops steps do not run).
    /// </summary>
    private static async Task<IReadOnlyList<Scenarios.Checks.CheckResult>?> RunSideAsync(ScenarioDefinition scenario, string repository, string sha, string work, TextWriter progress, CancellationToken cancellationToken)
    {
        var clone = Path.Combine(work, "side-" + sha[..12]);
        var app = ManifestLoader.Load(scenario.ManifestPaths, recursive: true).Typed<Model.Crds.ArgoApplication>().Select(t => t.Model).FirstOrDefault();
        var branch = app?.TargetRevision is { Length: > 0 } t && t != "HEAD" ? t : "main";
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
        var run = gitops is null ? null : await TestCommand.RunLabAsync(scenario, isStatic: false, dataWithin: null, progress, progress, cancellationToken, gitops).ConfigureAwait(false);
        return run?.Checks;
    }

    private static (string Section, bool Regressed) ChecksSection(IReadOnlyList<Scenarios.Checks.CheckResult> before, IReadOnlyList<Scenarios.Checks.CheckResult> after, bool json)
    {
        var rows = after.Select(h => (Head: h, Base: before.FirstOrDefault(b => b.Id == h.Id))).ToList();
        var regressed = rows.Any(r => r.Head.Outcome == Scenarios.Checks.CheckOutcome.Fail && r.Base?.Outcome == Scenarios.Checks.CheckOutcome.Pass);
        var introduced = rows.SelectMany(r => FindingsDiff.Of(r.Base?.Findings ?? [], r.Head.Findings).Introduced.Select(f => (r.Head.Id, Finding: f))).ToList();
        if (json)
        {
            return (new JsonArray([.. rows.Select(r => (JsonNode)new JsonObject
            {
                ["id"] = r.Head.Id,
                ["base"] = r.Base?.Outcome.ToString(),
                ["head"] = r.Head.Outcome.ToString(),
                ["baseSummary"] = r.Base?.Summary,
                ["headSummary"] = r.Head.Summary,
                ["introduced"] = new JsonArray([.. introduced.Where(i => i.Id == r.Head.Id).Select(i => (JsonNode)$"{i.Finding.RuleId}: {i.Finding.Message}")]),
            })]).ToJsonString(new JsonSerializerOptions { WriteIndented = true }), regressed);
        }

        var md = new StringBuilder();
        md.AppendLine();
        md.AppendLine("### The lab's checks on each revision");
        md.AppendLine();
        md.AppendLine("| check | base | head | head summary |");
        md.AppendLine("|---|---|---|---|");
        foreach (var (head, @base) in rows.Where(r => r.Head.Outcome != r.Base?.Outcome || r.Head.Outcome == Scenarios.Checks.CheckOutcome.Fail))
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {head.Id} | {@base?.Outcome.ToString() ?? "-"} | {head.Outcome} | {head.Summary.Replace("|", "\\|", StringComparison.Ordinal)} |");
        }

        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"{rows.Count(r => r.Head.Outcome == r.Base?.Outcome && r.Head.Outcome != Scenarios.Checks.CheckOutcome.Fail)} check(s) unchanged.");
        foreach (var (id, f) in introduced)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"- **{id}** introduced {f.Severity.ToString().ToLowerInvariant()} `{f.RuleId}` {f.Object}: {f.Message}");
            foreach (var e in f.Evidence.Take(3))
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"  - evidence: {e}");
            }
        }

        return (md.ToString(), regressed);
    }

    private static IReadOnlyList<Finding> Lint(ScenarioDefinition scenario, string folder)
    {
        // A folder is what the Application's path holds: the scenario's directly applied manifests apply to both sides.
        var manifests = ManifestLoader.Load(scenario.GitOps is null ? [folder] : [.. scenario.ManifestPaths, folder], recursive: true);
        return Linter.Run(manifests, install: scenario.Install);
    }

    private static async Task<string> SubjectAsync(string repository, string sha, CancellationToken cancellationToken) =>
        (await GitCli.RunAsync(repository, ["log", "-1", "--format=%s", sha], cancellationToken).ConfigureAwait(false)).Output.Trim();

    private static string Markdown(ScenarioDefinition scenario, string baseRev, string headRev, FindingsDiff diff)
    {
        var md = new StringBuilder();
        var errors = diff.Introduced.Count(f => f.Severity == Severity.Error);
        md.AppendLine(CultureInfo.InvariantCulture, $"## otel-lab compare: {scenario.Name}");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"**{(errors > 0 ? $"Blocks: introduces {errors} error(s)" : "No new error")}** — base {baseRev} → head {headRev}");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"| | errors | warnings | notes |");
        md.AppendLine("|---|---|---|---|");
        foreach (var (label, list) in new[] { ("introduced", diff.Introduced), ("fixed", diff.Fixed), ("unchanged", diff.Unchanged) })
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {label} | {list.Count(f => f.Severity == Severity.Error)} | {list.Count(f => f.Severity == Severity.Warning)} | {list.Count(f => f.Severity == Severity.Note)} |");
        }

        foreach (var (label, list) in new[] { ("Introduced", diff.Introduced), ("Fixed", diff.Fixed) })
        {
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"### {label} ({list.Count})");
            foreach (var f in list)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"- **{f.Severity.ToString().ToLowerInvariant()} `{f.RuleId}`** {f.Object} ({f.Location}): {f.Message}");
                foreach (var e in f.Evidence)
                {
                    md.AppendLine(CultureInfo.InvariantCulture, $"  - evidence: {e}");
                }

                if (label == "Introduced")
                {
                    md.AppendLine(CultureInfo.InvariantCulture, $"  - why: {f.Why}");
                    md.AppendLine(CultureInfo.InvariantCulture, $"  - fix: {f.Fix}");
                }
            }
        }

        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Unchanged: {string.Join(", ", diff.Unchanged.Select(f => f.RuleId).Distinct(StringComparer.Ordinal).DefaultIfEmpty("none"))}. Lint rules only: the lab's running checks are not compared.");
        return md.ToString();
    }

    private static string Json(ScenarioDefinition scenario, string baseRev, string headRev, FindingsDiff diff)
    {
        static JsonArray List(IEnumerable<Finding> findings) => new([.. findings.Select(f => (JsonNode)new JsonObject
        {
            ["ruleId"] = f.RuleId,
            ["severity"] = f.Severity.ToString().ToLowerInvariant(),
            ["object"] = f.Object,
            ["location"] = f.Location.ToString(),
            ["message"] = f.Message,
            ["evidence"] = new JsonArray([.. f.Evidence.Select(e => (JsonNode)e)]),
        })]);
        var o = new JsonObject
        {
            ["scenario"] = scenario.Name,
            ["base"] = baseRev,
            ["head"] = headRev,
            ["verdict"] = diff.Introduced.Any(f => f.Severity == Severity.Error) ? "blocks" : "passes",
            ["introduced"] = List(diff.Introduced),
            ["fixed"] = List(diff.Fixed),
            ["unchanged"] = List(diff.Unchanged),
        };
        return o.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + Environment.NewLine;
    }

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

/// <summary>Two revisions' findings matched by rule and object: introduced by the head, fixed by it, or present in both.</summary>
internal sealed record FindingsDiff(IReadOnlyList<Finding> Introduced, IReadOnlyList<Finding> Fixed, IReadOnlyList<Finding> Unchanged)
{
    public static FindingsDiff Of(IReadOnlyList<Finding> before, IReadOnlyList<Finding> after)
    {
        static string Key(Finding f) => f.RuleId + "\u0000" + f.Object;
        var was = before.Select(Key).ToHashSet(StringComparer.Ordinal);
        var now = after.Select(Key).ToHashSet(StringComparer.Ordinal);
        return new FindingsDiff(
            [.. after.Where(f => !was.Contains(Key(f)))],
            [.. before.Where(f => !now.Contains(Key(f)))],
            [.. after.Where(f => was.Contains(Key(f)))]);
    }
}
