using System.CommandLine;
using OtelLab.AppHost.Hosting;
using OtelLab.AppHost.Lab;
using OtelLab.Scenarios;
using OtelLab.Scenarios.Checks;
using OtelLab.Scenarios.Definition;
using OtelLab.Scenarios.Reporting;

namespace OtelLab.AppHost.Commands;

/// <summary>
/// <c>test</c>: runs scenarios once on the simulated substrate, judges them with the checks, writes JSON, Markdown
/// and self-contained HTML reports, and exits 1 when a check failed (CI gate).
/// </summary>
internal static class TestCommand
{
    private static readonly string[] Clusters = ["sim", "k3s"];

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var scenarios = new Option<string[]>("--scenario", "-s") { Description = "Scenario(s) to run (repeatable; default: every bundled scenario).", AllowMultipleArgumentsPerToken = true };
        var manifests = new Option<string?>("--manifests", "-m") { Description = "Judge your own GitOps folder of Kubernetes YAML with the built-in checks." };
        var output = new Option<string?>("--out", "-o") { Description = "Write the reports here (default: artifacts/<scenario>/)." };
        var cluster = new Option<string>("--cluster") { Description = "Substrate: sim or k3s (needs Docker).", DefaultValueFactory = _ => "sim" };
        cluster.AcceptOnlyFromAmong(Clusters);
        var duration = new Option<string?>("--duration", "-d") { Description = "How long checks wait for data once the lab is up (default: the scenario's expectations.dataWithin)." };
        var isStatic = new Option<bool>("--static") { Description = "Static checks only (lint); do not start the lab." };
        var targets = new Option<int?>("--targets") { Description = "Scrape targets for the farm (overrides the scenario's targets.count)." };
        var timeScale = new Option<double?>("--time-scale") { Description = "Force the lab clock's timeScale (1 = real time): no budget at start, no lowering mid-run; simulation health is still judged." };
        var images = new Option<string?>("--images") { Description = "k3s only: a folder of docker save tarballs imported into k3s's containerd." };
        var charts = new Option<string?>("--charts") { Description = "k3s only: a folder of helm pull chart tarballs (NAME-VERSION.tgz)." };
        var gitopsRepo = new Option<string?>("--gitops-repo") { Description = "Your GitOps repository (work tree or bare clone) behind the Argo CD Applications in the manifests: Argo CD syncs from it." };
        var watchOverWire = new Option<bool>("--watch-over-wire") { Description = WatchOverWireDescription };
        var command = new Command("test", "Run scenarios once with their checks; write JSON, Markdown and HTML reports; exit 1 on a failed check, 3 when none failed but the simulator fell behind (timing verdicts not trustworthy).")
        {
            scenarios, manifests, output, cluster, duration, isStatic, targets, timeScale, images, charts, gitopsRepo, watchOverWire,
        };
        command.SetAction((parse, ct) => RunAsync(
            parse.GetValue(scenarios) ?? [], parse.GetValue(manifests), parse.GetValue(output), parse.GetValue(cluster) ?? "sim",
            parse.GetValue(duration), parse.GetValue(isStatic), parse.GetValue(targets), stdout, stderr, ct, parse.GetValue(images), parse.GetValue(charts), parse.GetValue(timeScale), parse.GetValue(gitopsRepo), parse.GetValue(watchOverWire)));
        return command;
    }

    /// <summary>What <c>--watch-over-wire</c> with <c>--cluster k3s</c> answers: the real components always use the real API.</summary>
    internal const string WatchOverWireOnK3s =
        "error: --watch-over-wire is a sim setting: on --cluster k3s the Target Allocator and the collectors are the real ones and always list and watch through k3s's API server; drop --watch-over-wire or use --cluster sim";

    /// <summary>The <c>--watch-over-wire</c> help text, shared by <c>up</c> and <c>test</c>.</summary>
    internal const string WatchOverWireDescription =
        "sim only: the Target Allocator's discovery, k8sattributes, the loadbalancing exporter's k8s resolver and the "
        + "operator list, watch (and the operator writes) through the lab's API server over HTTP (KubernetesClient as "
        + "their ServiceAccounts, RBAC decided by the API server) instead of reading the store in process; slower to "
        + "start, same objects (the scenario setting is cluster.watchOverWire).";

    private static async Task<int> RunAsync(
        string[] names, string? manifests, string? output, string cluster, string? durationText, bool isStatic, int? targets, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken,
        string? images = null, string? charts = null, double? timeScale = null, string? gitopsRepo = null, bool watchOverWire = false)
    {
        if (timeScale is { } forced && (!(forced > 0) || forced > UpCommand.MaxTimeScale || double.IsNaN(forced)))
        {
            await stderr.WriteLineAsync(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"error: --time-scale {forced}: must be above 0 and at most {UpCommand.MaxTimeScale} (1 is real time; 10 runs 30 s scrape intervals every 3 s); write e.g. --time-scale 10")).ConfigureAwait(false);
            return LabCli.ExitUsage;
        }

        if (targets is < 0)
        {
            await stderr.WriteLineAsync($"error: --targets {targets}: must be 0 or more (0 runs no target farm); write e.g. --targets 9000").ConfigureAwait(false);
            return LabCli.ExitUsage;
        }

        if (cluster == "k3s" && watchOverWire)
        {
            await stderr.WriteLineAsync(WatchOverWireOnK3s).ConfigureAwait(false);
            return LabCli.ExitUsage;
        }

        if (cluster == "k3s" && !isStatic)
        {
            var forK3s = new List<ScenarioDefinition>();
            foreach (var name in names.Length > 0 || manifests is not null ? names.DefaultIfEmpty(null) : [BundledScenarios.Default])
            {
                if (await ScenarioSelection.ResolveAsync(name, manifests, stderr).ConfigureAwait(false) is not { } s)
                {
                    return LabCli.ExitUsage;
                }

                forK3s.Add(s);
            }

            return await K3sSubstrate.TestAsync(forK3s, images, charts, output, stdout, stderr, cancellationToken).ConfigureAwait(false);
        }

        TimeSpan? dataWithin = null;
        if (durationText is not null)
        {
            if (!ScenarioSelection.TryParseDuration(durationText, out var d, out var error))
            {
                await stderr.WriteLineAsync($"error: --duration {durationText}: {error}; write e.g. 5s or 1m").ConfigureAwait(false);
                return LabCli.ExitUsage;
            }

            dataWithin = d;
        }

        var selected = manifests is not null ? [null] : names.Length > 0 ? names.Cast<string?>().ToArray() : BundledScenarios.Names().Cast<string?>().ToArray();
        var failed = false;
        var untrustworthy = false;
        foreach (var name in selected)
        {
            var scenario = await ScenarioSelection.ResolveAsync(name, manifests, stderr).ConfigureAwait(false);
            if (scenario is null)
            {
                return LabCli.ExitUsage;
            }

            if (targets is { } count)
            {
                scenario = scenario with { Targets = scenario.Targets with { Count = count } };
            }

            if (names.Length == 0 && manifests is null && await IsVariantOfAnotherAsync(scenario, selected, stderr).ConfigureAwait(false))
            {
                continue;
            }

            Scenarios.GitOps.GitOpsOptions? gitops = null;
            if (gitopsRepo is not null && (gitops = await GitOpsRepoArgument.ResolveAsync(gitopsRepo, scenario, stderr, cancellationToken).ConfigureAwait(false)) is null)
            {
                return LabCli.ExitUsage;
            }

            // The scenario's variants (the same pipeline with only its blockers fixed) are run too and reported with it:
            // their checks measure the defects the blockers hide.
            var variants = new List<ScenarioDefinition>();
            foreach (var variantDir in isStatic ? [] : scenario.Variants)
            {
                try
                {
                    var variant = ScenarioLoader.Load(BundledScenarios.Display(variantDir));
                    variants.Add(targets is { } variantTargets ? variant with { Targets = variant.Targets with { Count = variantTargets } } : variant);
                }
                catch (Model.ManifestException e)
                {
                    await ScenarioSelection.PrintAsync(stderr, [e.ToError()]).ConfigureAwait(false);
                    return LabCli.ExitUsage;
                }
            }

            var runs = await RunSideBySideAsync(scenario, variants, isStatic, dataWithin, stdout, stderr, gitops, timeScale, watchOverWire, cancellationToken).ConfigureAwait(false);
            if (runs is null)
            {
                return LabCli.ExitUsage;
            }

            var run = runs[0];
            for (var i = 0; i < variants.Count; i++)
            {
                run = ScenarioVariants.Merge(run, variants[i], runs[i + 1]);
            }

            var dir = output is null ? Path.Combine("artifacts", run.Scenario) : selected.Length == 1 ? output : Path.Combine(output, run.Scenario);
            var files = await ReportFiles.WriteAsync(run, dir, cancellationToken).ConfigureAwait(false);
            foreach (var c in run.Checks)
            {
                await stdout.WriteLineAsync($"   {Label(c.Outcome),-7} {c.Id,-22} {c.Summary}").ConfigureAwait(false);
            }

            if (run.SimulationHealth is { } health)
            {
                await stdout.WriteLineAsync(health.Degraded
                    ? $"   simulator: {health.Describe()} — the timing checks above are not trustworthy"
                    : $"   simulator: {health.Describe()}").ConfigureAwait(false);
            }

            await stdout.WriteLineAsync($"   {run.Verdict.ToUpperInvariant()}: {run.Findings.Count()} finding(s); reports: {string.Join(", ", files)}").ConfigureAwait(false);
            failed |= !run.Passed;
            untrustworthy |= !run.Trustworthy;
        }

        // A failed check wins; a run whose verdicts were set aside because the simulator fell behind never passes silently.
        return failed ? LabCli.ExitFindings : untrustworthy ? LabCli.ExitUntrustworthy : 0;
    }

    private static string Label(CheckOutcome outcome) => outcome == CheckOutcome.Untrustworthy ? "UNTRUSTED" : outcome.ToString().ToUpperInvariant();

    // Running every bundled scenario: a variant is reported with the scenario that names it, not run twice.
    private static async Task<bool> IsVariantOfAnotherAsync(ScenarioDefinition scenario, string?[] selected, TextWriter stderr)
    {
        var dir = scenario.File is null ? null : Path.GetFullPath(Path.GetDirectoryName(scenario.File)!);
        foreach (var other in selected.Where(n => n != scenario.Name))
        {
            if ((await ScenarioSelection.ResolveAsync(other, null, stderr).ConfigureAwait(false))?.Variants.Contains(dir, StringComparer.Ordinal) == true)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The scenario and its variants, each on its own lab, up to <see cref="LabsSideBySide"/> at once: each lab holds its
    /// own address slot, and a run spends most of its wall time waiting on lab time (decision waits, data windows), so
    /// labs side by side finish sooner than one after the other. The scrape budget is measured once and shared between
    /// the labs that run together. The first lab's progress is printed as it happens; the others' when they finish.
    /// Null when an input is unusable (printed to stderr).
    /// </summary>
    private static async Task<ScenarioRunResult[]?> RunSideBySideAsync(
        ScenarioDefinition scenario, IReadOnlyList<ScenarioDefinition> variants, bool isStatic, TimeSpan? dataWithin, TextWriter stdout, TextWriter stderr,
        Scenarios.GitOps.GitOpsOptions? gitops, double? forcedTimeScale, bool watchOverWire, CancellationToken cancellationToken)
    {
        var all = variants.Prepend(scenario).ToList();
        var together = Math.Min(all.Count, LabsSideBySide);
        ScrapeBudget? shared = null;
        if (together > 1 && !isStatic && forcedTimeScale is null && all.Any(s => s.Targets.Count > 0))
        {
            var (calibration, budget) = await ScrapeBudget.MeasureAsync(all.MaxBy(s => ScrapeBudget.Demand(s))!, cancellationToken, share: 1.0 / together).ConfigureAwait(false);
            shared = budget with { ScrapesPerSecond = budget.ScrapesPerSecond / together, Basis = budget.Basis + string.Create(System.Globalization.CultureInfo.InvariantCulture, $", shared by {together} labs side by side") };
            await stdout.WriteLineAsync($"   scrape calibration: {calibration.Describe()}; budget {shared.Basis}").ConfigureAwait(false);
        }

        using var slots = new SemaphoreSlim(together);
        var errors = TextWriter.Synchronized(stderr);
        var outputs = all.Select((_, i) => i == 0 ? stdout : new StringWriter()).ToList();
        var tasks = all.Select(async (s, i) =>
        {
            await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await RunLabAsync(s, i == 0 && isStatic, dataWithin, outputs[i], errors, cancellationToken, i == 0 ? gitops : null, forcedTimeScale, shared, watchOverWire: watchOverWire).ConfigureAwait(false);
            }
            finally
            {
                slots.Release();
            }
        }).ToList();
        var results = await Task.WhenAll(tasks).ConfigureAwait(false);
        foreach (var buffered in outputs.Skip(1))
        {
            await stdout.WriteAsync(buffered.ToString()).ConfigureAwait(false);
            await buffered.DisposeAsync().ConfigureAwait(false);
        }

        return results.Any(r => r is null) ? null : [.. results.Select(r => r!)];
    }

    /// <summary>How many labs of one <c>test</c> run side by side: one per core (a lab waits on lab time more than it computes).</summary>
    internal static int LabsSideBySide { get; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>One lab run of one scenario, judged; null when its input is unusable (printed to stderr).</summary>
    internal static async Task<ScenarioRunResult?> RunLabAsync(
        ScenarioDefinition scenario, bool isStatic, TimeSpan? dataWithin, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken,
        Scenarios.GitOps.GitOpsOptions? gitops = null, double? forcedTimeScale = null, ScrapeBudget? sharedBudget = null, Action<SimLab>? measure = null, bool watchOverWire = false,
        Sim.Networking.LoopbackAddressSlot? addressSlot = null)
    {
        string? notice = null;
        if (!isStatic && watchOverWire)
        {
            scenario = scenario with { WatchOverWire = true };
        }

        if (!isStatic && forcedTimeScale is { } scale)
        {
            // A forced scale, as up's: no budget at start and no lowering mid-run; the health monitor still judges
            // the run, so checks measured while the simulator was behind read "not trustworthy".
            scenario = scenario with { TimeScale = scale };
            notice = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"timeScale {scale:0.##} forced (--time-scale): the lab will not lower it; simulation health is still measured and judged.");
        }
        else if (!isStatic && scenario.Targets.Count > 0 && sharedBudget is not null)
        {
            (scenario, notice) = sharedBudget.Fit(scenario);
        }
        else if (!isStatic && scenario.Targets.Count > 0)
        {
            // The budget is measured here, now: a second or two of real scrapes on real loopback sockets.
            var (calibration, budget) = await ScrapeBudget.MeasureAsync(scenario, cancellationToken).ConfigureAwait(false);
            await stdout.WriteLineAsync($"   scrape calibration: {calibration.Describe()}; budget {budget.Basis}").ConfigureAwait(false);
            (scenario, notice) = budget.Fit(scenario);
        }

        SimLab lab;
        try
        {
            lab = SimLab.Create(LabComposition.Options(scenario) with { GitOps = gitops, AddressSlot = addressSlot });
        }
        catch (ScenarioInputException e)
        {
            await ScenarioSelection.PrintAsync(stderr, e.Errors).ConfigureAwait(false);
            return null;
        }

        if (!isStatic && LabComposition.SampleServiceProblems(lab) is { Count: > 0 } problems)
        {
            await stderr.WriteLineAsync($"error: the scenario's sample services cannot run on this machine ({problems.Count} problem(s)):").ConfigureAwait(false);
            foreach (var problem in problems)
            {
                await stderr.WriteLineAsync("  " + problem).ConfigureAwait(false);
            }

            return null;
        }

        var startedAt = TimeProvider.System.GetUtcNow();
        if (isStatic)
        {
            await using (lab.ConfigureAwait(false))
            {
                await stdout.WriteLineAsync($"== scenario {scenario.Name}: static checks").ConfigureAwait(false);
                return await CheckAsync(scenario, lab, isStatic, dataWithin, startedAt, cancellationToken).ConfigureAwait(false);
            }
        }

        // The same app model as `up` and the dashboard, headless: Aspire orchestrates the components through their
        // WaitFor gates, and stopping the host stops the lab in reverse order.
        var app = LabAppHost.CreateHeadless(lab, forcedTimeScale is not null);
        var wedged = false;
        try
        {
            await stdout.WriteLineAsync($"== scenario {scenario.Name}: starting the lab").ConfigureAwait(false);
            if (notice is not null)
            {
                await stdout.WriteLineAsync("   " + notice).ConfigureAwait(false);
            }

            try
            {
                await app.StartAsync(cancellationToken).ConfigureAwait(false);
                await lab.Graph.Settled.WaitAsync(cancellationToken).ConfigureAwait(false);
                await stdout.WriteLineAsync(lab.StartupTime is { } t ? $"   lab ready in {t.TotalSeconds:0.00} s" : "   the lab did not come up: " +
                    string.Join("; ", lab.Graph.Snapshots().Where(s => s.Reason is not null && s.State != Scenarios.Resources.ResourceState.Running).Select(s => $"{s.Name} {s.State}: {s.Reason}"))).ConfigureAwait(false);
                var result = await CheckAsync(scenario, lab, isStatic, dataWithin, startedAt, cancellationToken).ConfigureAwait(false);

                // Read while the lab still runs: compare sets what this run did beside another run's.
                measure?.Invoke(lab);
                return result;
            }
            finally
            {
                // Bounded like up's: a wedged lab must not hold the run (or CI) after its checks are done.
                var inFlight = SimLab.ScrapesInFlight;
                var stopping = StopAsync(app, lab);
                if (await Task.WhenAny(stopping, Task.Delay(ShutdownBound, CancellationToken.None)).ConfigureAwait(false) != stopping)
                {
                    wedged = true;
                    await stdout.WriteLineAsync($"   shutdown took longer than {ShutdownBound.TotalSeconds:0} s; leaving these stopping: " +
                        string.Join(", ", lab.Graph.Snapshots().Where(s => s.State != Scenarios.Resources.ResourceState.Stopped).Select(s => s.Name))).ConfigureAwait(false);
                }

                await stdout.WriteLineAsync($"   shutdown: {inFlight} scrapes in flight cancelled; " + UpCommand.Dropped(lab)).ConfigureAwait(false);
            }
        }
        finally
        {
            // Disposing a wedged host would wait on what wedged it.
            if (!wedged)
            {
                await app.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>How long stopping one scenario's lab may take before the run moves on without it.</summary>
    private static readonly TimeSpan ShutdownBound = TimeSpan.FromSeconds(8);

    private static async Task StopAsync(DistributedApplication app, SimLab lab)
    {
        await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await lab.DisposeAsync().ConfigureAwait(false);
    }

    private static Task<ScenarioRunResult> CheckAsync(ScenarioDefinition scenario, SimLab lab, bool isStatic, TimeSpan? dataWithin, DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        var context = new CheckContext
        {
            Scenario = scenario,
            Manifests = lab.Manifests,
            Lab = isStatic ? null : lab,
            DataWithin = dataWithin ?? scenario.Expectations.DataWithin,
        };
        return ScenarioRunner.CheckAsync(context, LabComposition.Checks, startedAt, TimeProvider.System, cancellationToken);
    }
}
