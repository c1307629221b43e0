using System.CommandLine;
using System.Globalization;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OtelLab.AppHost.Hosting;
using OtelLab.AppHost.Lab;
using OtelLab.AppHost.Output;
using OtelLab.Scenarios;
using OtelLab.Scenarios.Definition;
using OtelLab.Scenarios.Health;
using OtelLab.Scenarios.Monitoring;
using OtelLab.Scenarios.Resources;

namespace OtelLab.AppHost.Commands;

/// <summary>
/// <c>up</c> (the default verb): brings a scenario up on the simulated substrate as a resource graph, shows it live
/// (Spectre.Console on a terminal, plain periodic lines otherwise) and on the web dashboard, until Ctrl+C or
/// <c>--duration</c>; then shuts everything down in reverse order.
/// </summary>
internal static class UpCommand
{
    private static readonly string[] Clusters = ["sim", "k3s"];

    /// <summary>How long the shutdown may take before the process ends anyway (Ctrl+C, SIGTERM or --duration).</summary>
    private static readonly TimeSpan ShutdownBound = TimeSpan.FromSeconds(8);

    /// <summary>
    /// What the Aspire host's own stop (DCP's clean-up, the dashboard) may take once every lab resource has stopped:
    /// 0.5–1.3 s measured on the 2-core machine, idle or beside four busy loops.
    /// </summary>
    private static readonly TimeSpan HostOwnStopBound = TimeSpan.FromSeconds(3);

    /// <summary>What the shutdown keeps, of its bound, for the lab's disposal after the Aspire host's own stop.</summary>
    private static readonly TimeSpan DisposalReserve = TimeSpan.FromSeconds(0.5);

    /// <summary>What saying the run's end may take before the shutdown (the first round's line, the health summary).</summary>
    private static readonly TimeSpan EndBound = TimeSpan.FromSeconds(2);

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var o = new UpOptions();
        var command = new Command("up", "Bring the lab up on a scenario and show it live (default verb).");
        o.AddTo(command);
        command.SetAction((parse, ct) => RunAsync(o.Read(parse), stdout, stderr, ct));
        return command;
    }

    /// <summary>The root command's action: <c>up</c> with the same options.</summary>
    public static void SetAsDefault(RootCommand root, TextWriter stdout, TextWriter stderr)
    {
        var o = new UpOptions();
        o.AddTo(root);
        root.SetAction((parse, ct) => RunAsync(o.Read(parse), stdout, stderr, ct));
    }

    public static async Task<int> RunAsync(UpRequest request, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        TimeSpan? duration = null;
        if (request.Duration is { } text)
        {
            if (!ScenarioSelection.TryParseDuration(text, out var d, out var error) || d <= TimeSpan.Zero)
            {
                await stderr.WriteLineAsync($"error: --duration {text}: {(error.Length > 0 ? error : "must be positive")}; write e.g. 60s, 5m or 1h30m").ConfigureAwait(false);
                return LabCli.ExitUsage;
            }

            duration = d;
        }

        if (request.Cluster == "k3s" && (request.Kubeconfig is not null || request.KubeconfigServiceAccounts is { Count: > 0 }))
        {
            await stderr.WriteLineAsync("error: --kubeconfig and --kubeconfig-service-account are for the simulated cluster (--cluster sim); k3s writes its own kubeconfig and prints where").ConfigureAwait(false);
            return LabCli.ExitUsage;
        }

        if (request.Cluster == "k3s" && request.WatchOverWire)
        {
            await stderr.WriteLineAsync(TestCommand.WatchOverWireOnK3s).ConfigureAwait(false);
            return LabCli.ExitUsage;
        }

        if (request.Cluster == "k3s")
        {
            // k3s's app model shows its dashboard on the same ports as the sim's
            if (LabAppHost.DashboardPortProblem(request.Port) is { } k3sPortProblem)
            {
                await stderr.WriteLineAsync($"error: --port {request.Port}: {k3sPortProblem}").ConfigureAwait(false);
                await stderr.WriteLineAsync("  fix: choose another --port (0 = any free ports, -1 = no dashboard)").ConfigureAwait(false);
                return LabCli.ExitUsage;
            }

            return await ScenarioSelection.ResolveAsync(request.Scenario, request.Manifests, stderr).ConfigureAwait(false) is { } k3sScenario
                ? await K3sSubstrate.UpAsync(k3sScenario, request.Images, request.Charts, duration, request.Port, stdout, stderr, cancellationToken).ConfigureAwait(false)
                : LabCli.ExitUsage;
        }

        if (request.Targets is < 0 || request.Rate is < 0)
        {
            await stderr.WriteLineAsync(request.Targets is < 0
                ? $"error: --targets {request.Targets}: must be 0 or more (0 runs no target farm); write e.g. --targets 9000"
                : $"error: --rate {request.Rate}: must be 0 or more requests per second (0 sends no load); write e.g. --rate 50").ConfigureAwait(false);
            return LabCli.ExitUsage;
        }

        if (LabAppHost.DashboardPortProblem(request.Port) is { } portProblem)
        {
            await stderr.WriteLineAsync($"error: --port {request.Port}: {portProblem}").ConfigureAwait(false);
            await stderr.WriteLineAsync("  fix: choose another --port (0 = any free ports, -1 = no dashboard)").ConfigureAwait(false);
            return LabCli.ExitUsage;
        }

        if (request.TimeScale is { } forced && (!(forced > 0) || forced > MaxTimeScale || double.IsNaN(forced)))
        {
            await stderr.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"error: --time-scale {forced}: must be above 0 and at most {MaxTimeScale} (1 is real time; 10 runs 30 s scrape intervals every 3 s); write e.g. --time-scale 10")).ConfigureAwait(false);
            return LabCli.ExitUsage;
        }

        if (await KubeconfigArguments.ReadAsync(request.Kubeconfig, request.KubeconfigServiceAccounts ?? [], stderr).ConfigureAwait(false) is not { } kubeconfig)
        {
            return LabCli.ExitUsage;
        }

        var scenario = await ScenarioSelection.ResolveAsync(request.Scenario, request.Manifests, stderr).ConfigureAwait(false);
        if (scenario is null)
        {
            return LabCli.ExitUsage;
        }

        scenario = Override(scenario, request.Targets, request.Rate);
        if (request.WatchOverWire)
        {
            scenario = scenario with { WatchOverWire = true };
        }
        Scenarios.GitOps.GitOpsOptions? gitops = null;
        if (request.GitOpsRepo is { } repo && (gitops = await GitOpsRepoArgument.ResolveAsync(repo, scenario, stderr, cancellationToken).ConfigureAwait(false)) is null)
        {
            return LabCli.ExitUsage;
        }

        string? notice;
        if (request.TimeScale is { } scale)
        {
            // A forced scale: no budget at start and no adaptation mid-run; health is still measured and reported.
            scenario = scenario with { TimeScale = scale };
            notice = string.Create(CultureInfo.InvariantCulture, $"timeScale {scale:0.##} forced (--time-scale): the lab will not lower it; simulation health is still measured and reported.");
        }
        else if (scenario.Targets.Count > 0)
        {
            // The budget is measured here, now: a second or two of real scrapes on real loopback sockets.
            var (calibration, budget) = await ScrapeBudget.MeasureAsync(scenario, cancellationToken).ConfigureAwait(false);
            await stdout.WriteLineAsync($"Scrape calibration: {calibration.Describe()}; budget {budget.Basis}.").ConfigureAwait(false);
            (scenario, notice) = budget.Fit(scenario);
        }
        else
        {
            notice = null;
        }

        SimLab lab;
        try
        {
            lab = SimLab.Create(LabComposition.Options(scenario) with { GitOps = gitops, KubeconfigPath = kubeconfig.Path, KubeconfigServiceAccounts = kubeconfig.ServiceAccounts });
        }
        catch (ScenarioInputException e)
        {
            await ScenarioSelection.PrintAsync(stderr, e.Errors).ConfigureAwait(false);
            return LabCli.ExitUsage;
        }

        if (LabComposition.SampleServiceProblems(lab) is { Count: > 0 } problems)
        {
            await stderr.WriteLineAsync($"error: the scenario's sample services cannot run on this machine ({problems.Count} problem(s)):").ConfigureAwait(false);
            foreach (var problem in problems)
            {
                await stderr.WriteLineAsync("  " + problem).ConfigureAwait(false);
            }

            return LabCli.ExitUsage;
        }

        stdout = TextWriter.Synchronized(stdout);
        var hostOptions = new LabAppHostOptions { DashboardPort = request.Port, ForcedTimeScale = request.TimeScale is not null };
        var builder = LabAppHost.CreateBuilder(lab, hostOptions);
        // The lab owns SIGINT/SIGTERM (TerminationSignals): a first signal cancels, a second ends the process.
        // The host's console lifetime would take the first one for itself and hold a second in its own shutdown.
        builder.Services.AddSingleton<IHostLifetime, SignalFreeLifetime>();
        // From here the host owns the lab: stopping the host stops the lab in reverse order (SimLabLifetime).
        var app = builder.Build();
        var wedged = false;
        var progress = new ShutdownProgress();
        using var watchdog = new ShutdownWatchdog(stdout, LabCli.ExitFindings);
        try
        {
            var url = LabAppHost.DashboardUrl(app, hostOptions) ?? "(off)";
            await stdout.WriteLineAsync($"OTel Lab: scenario {scenario.Name} on the simulated cluster ({scenario.Nodes} nodes, timeScale {scenario.TimeScale.ToString(CultureInfo.InvariantCulture)}); Aspire dashboard {url}").ConfigureAwait(false);
            if (notice is not null)
            {
                await stdout.WriteLineAsync(notice).ConfigureAwait(false);
            }

            void OnChange(Scenarios.Resources.ResourceEvent e) => stdout.WriteLine($"resource {e.Resource}: {e.State}{(e.Reason is null ? "" : " — " + e.Reason)}");
            lab.Graph.Changed += OnChange;
            try
            {
                var controller = app.Services.GetRequiredService<TimeScaleController>();
                controller.Said += stdout.WriteLine;
                lab.Health.StateChanged += (_, s) => stdout.WriteLine(s.State == SimulationHealthState.Behind
                    ? $"Simulation health: BEHIND by {SimulationHealthSummary.Format(SimulationHealthMonitor.SlipOf(s))} — {string.Join("; ", s.Breaches)}. Timing measured now is the simulator's, not the pipeline's."
                    : "Simulation health: back within tolerance.");
                var startedAt = TimeProvider.System.GetTimestamp();
                var hostStart = app.StartAsync(cancellationToken);
                string Pending() => StartupNotice.Pending(hostStart.IsCompletedSuccessfully, lab.Graph.Snapshots());
                await StartupNotice.AwaitAsync(hostStart, startedAt, Pending, stdout, cancellationToken).ConfigureAwait(false);
                var monitor = app.Services.GetRequiredService<LabMonitor>();
                var stopping = app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
                using var end = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stopping);
                var settling = SettledAsync(lab, end.Token);
                await StartupNotice.AwaitAsync(settling, startedAt, Pending, stdout, end.Token).ConfigureAwait(false);
                var ok = await settling.ConfigureAwait(false);
                // --duration counts from here; the watchdog is armed for its end now, on its own thread: an overloaded
                // lab's starved thread pool notices that end late, or not at all.
                var settled = System.Diagnostics.Stopwatch.GetTimestamp();
                if (duration is { } d)
                {
                    watchdog.Arm(ShutdownBound + EndBound, () => Final(lab, progress), d);
                }

                lab.Graph.Changed -= OnChange;
                await ReportStartAsync(lab, ok, DateTime.Now - System.Diagnostics.Process.GetCurrentProcess().StartTime, stdout).ConfigureAwait(false);
                var left = duration is { } total ? total - System.Diagnostics.Stopwatch.GetElapsedTime(settled) : (TimeSpan?)null;
                await RunPlainAsync(monitor, stdout, left is { } l && l < TimeSpan.Zero ? TimeSpan.Zero : left, end.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl+C during start-up
            }
            finally
            {
                lab.Graph.Changed -= OnChange;
            }

            var health = lab.Health.Summary();
            await stdout.WriteLineAsync(health.Degraded
                ? $"Simulation health over the run: the simulator was {health.Describe()}. Its timing figures (first scrape round, series per replica, send failures) are the simulator's overload, not the pipeline's."
                : $"Simulation health over the run: {health.Describe()}.").ConfigureAwait(false);
            var inFlight = SimLab.ScrapesInFlight;
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Shutting down (reverse order) within {ShutdownBound.TotalSeconds:0} s; {inFlight} scrapes in flight are cancelled…")).ConfigureAwait(false);
            // The bound holds even when the thread pool is starved: a watchdog thread ends the process at its deadline.
            watchdog.Arm(ShutdownBound + TimeSpan.FromSeconds(1), () => Final(lab, progress));
            var stopped = StopAsync(app, lab, progress, System.Diagnostics.Stopwatch.GetTimestamp());
            if (await Task.WhenAny(stopped, Task.Delay(ShutdownBound, CancellationToken.None)).ConfigureAwait(false) != stopped)
            {
                // A wedged lab (a pod that ignores SIGTERM, an exporter stuck in a retry) must not hold the machine:
                // the process ends here, and what it started follows it (the sample services and DCP watch its pid).
                await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"Shutdown took longer than {ShutdownBound.TotalSeconds:0} s; ending the process with these still stopping: ")
                    + StillStopping(lab, progress)).ConfigureAwait(false);
                await stdout.WriteLineAsync(Dropped(lab)).ConfigureAwait(false);
                wedged = true;
                return LabCli.ExitFindings;
            }

            await stopped.ConfigureAwait(false);
        }
        finally
        {
            // Disposing a wedged host would wait on what wedged it.
            if (!wedged)
            {
                await app.DisposeAsync().ConfigureAwait(false);
            }
        }

        await stdout.WriteLineAsync("Stopped cleanly: " + string.Join(", ", lab.Graph.Snapshots().Select(s => $"{s.Name} {s.State.ToString().ToLowerInvariant()}"))).ConfigureAwait(false);
        await stdout.WriteLineAsync("Shutdown: " + progress.Describe()).ConfigureAwait(false);
        await stdout.WriteLineAsync(Dropped(lab)).ConfigureAwait(false);
        return lab.StartupTime is null ? LabCli.ExitFindings : 0;
    }

    // What the watchdog says when it ends the process: what was still stopping, what was dropped, and the run's health.
    private static string Final(SimLab lab, ShutdownProgress progress) => StillStopping(lab, progress) + ". " + Dropped(lab) + " Simulation health over the run: " + lab.Health.Summary().Describe() + ".";

    private static string StillStopping(SimLab lab, ShutdownProgress progress)
    {
        var resources = string.Join(", ", lab.Graph.Snapshots().Where(s => s.State != ResourceState.Stopped).Select(s => $"{s.Name} {s.State.ToString().ToLowerInvariant()}"));
        return (resources.Length == 0 ? "no lab resource" : resources) + " (" + progress.Describe() + ")";
    }

    /// <summary>What the shutdown dropped: export requests its deadline cut short (nothing is lost silently).</summary>
    internal static string Dropped(SimLab lab)
    {
        var (requests, items) = lab.DroppedAtShutdown;
        return requests == 0
            ? "Dropped at shutdown: nothing (every exporter queue drained within the deadline)."
            : string.Create(CultureInfo.InvariantCulture, $"Dropped at shutdown: {requests:N0} export requests ({items:N0} spans/points) still queued or in flight when the pods' grace periods ended.");
    }

    private static async Task StopAsync(DistributedApplication app, SimLab lab, ShutdownProgress progress, long began)
    {
        // The host's stop stops the lab's resources first (SimLabLifetime), then DCP and the dashboard.
        progress.Begin("stopping the lab's resources");
        var lastStopped = false;
        using var hostStop = new CancellationTokenSource();
        var cut = HostOwnStopBound;
        void OnChange(Scenarios.Resources.ResourceEvent e)
        {
            if (e.State == ResourceState.Stopping)
            {
                progress.PartBegun(e.Resource);
            }
            else if (e.State == ResourceState.Stopped)
            {
                // The pods are the node agents' parts: a slow stop names the ones that held it.
                progress.PartEnded(e.Resource, e.Resource == LabResourceNames.NodeAgents && lab.NodeAgents is { } agents
                    ? "slowest pods: " + string.Join(", ", agents.SlowestShutdownStops(3))
                    : null);
            }

            if (!lastStopped && lab.Graph.Snapshots().All(s => s.State == ResourceState.Stopped))
            {
                lastStopped = true;
                progress.Begin("the Aspire host's own stop (DCP, the dashboard)");
                // Aspire's DcpExecutor.StopAsync takes a token for this: its orchestrator clean-up "is just a perf
                // optimization", since DCP cleans up its resources itself when the process it monitors exits
                // (src/Aspire.Hosting/Dcp/DcpExecutor.cs). So a host stop slowed by a busy machine is cut short
                // instead of holding the lab's shutdown past its bound.
                cut = HostOwnStopCut(System.Diagnostics.Stopwatch.GetElapsedTime(began));
                hostStop.CancelAfter(cut);
            }
        }

        lab.Graph.Changed += OnChange;
        try
        {
            await app.StopAsync(hostStop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (hostStop.IsCancellationRequested)
        {
            // cut short as above; DCP finishes its clean-up once this process has exited
        }
        finally
        {
            lab.Graph.Changed -= OnChange;
        }

        if (hostStop.IsCancellationRequested)
        {
            progress.Note(string.Create(CultureInfo.InvariantCulture, $"it was cut short at {cut.TotalSeconds:0.0} s (DCP cleans up after this process exits)"));
        }

        progress.Begin("the lab's disposal");
        await lab.DisposeAsync().ConfigureAwait(false);
        progress.End();
    }

    /// <summary>
    /// What the Aspire host's own stop may take once the lab's resources stopped <paramref name="elapsed"/> into the
    /// shutdown: its bound, or what is left of the shutdown's (less the lab's disposal) when the resources took most of
    /// it, so the shutdown still ends within its bound and says what it cut.
    /// </summary>
    internal static TimeSpan HostOwnStopCut(TimeSpan elapsed)
    {
        var left = ShutdownBound - elapsed - DisposalReserve;
        return left < TimeSpan.Zero ? TimeSpan.Zero : left < HostOwnStopBound ? left : HostOwnStopBound;
    }

    private static async Task<bool> SettledAsync(SimLab lab, CancellationToken cancellationToken)
    {
        try
        {
            return await lab.Graph.Settled.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static ScenarioDefinition Override(ScenarioDefinition scenario, int? targets, double? rate) => scenario with
    {
        Targets = targets is { } t ? scenario.Targets with { Count = t } : scenario.Targets,
        Load = rate is { } r ? scenario.Load with { RatePerSecond = r } : scenario.Load,
    };

    private static async Task ReportStartAsync(SimLab lab, bool ok, TimeSpan fromProcessStart, TextWriter stdout)
    {
        if (ok && lab.StartupTime is { } t)
        {
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Lab ready in {t.TotalSeconds:0.00} s (start-up measured from the first resource to the workloads Ready; every resource healthy {fromProcessStart.TotalSeconds:0.00} s after the AppHost process started).")).ConfigureAwait(false);
            if (lab.Cluster is { } cluster)
            {
                await stdout.WriteLineAsync($"Slowest pods to Ready: {string.Join(", ", PodStatus.Slowest(cluster.List<V1Pod>(), 3))}").ConfigureAwait(false);
            }

            if (lab.KubeconfigPath is { } kubeconfig)
            {
                await stdout.WriteLineAsync($"Kubernetes API at {lab.ApiServerAddress}; for kubectl: export KUBECONFIG={kubeconfig}").ConfigureAwait(false);
            }

            return;
        }

        await stdout.WriteLineAsync("The lab did not come up:").ConfigureAwait(false);
        foreach (var r in lab.Graph.Snapshots().Where(r => r.State is ResourceState.Failed or ResourceState.Blocked))
        {
            await stdout.WriteLineAsync($"  {r.Name}: {r.State} — {r.Reason}").ConfigureAwait(false);
        }
    }

    /// <summary>Completes when the run should end: Ctrl+C, the host stopping, or <paramref name="duration"/> after the lab settled.</summary>
    private static async Task WaitForEndAsync(TimeSpan? duration, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(duration ?? Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C
        }
    }

    // The live view lives in the dashboard; the console gets the same figures as plain lines every 10 s.
    private static async Task RunPlainAsync(LabMonitor monitor, TextWriter stdout, TimeSpan? duration, CancellationToken cancellationToken)
    {
        var lab = monitor.Lab;
        var end = WaitForEndAsync(duration, cancellationToken);
        var firstRound = ReportFirstScrapeRoundAsync(lab, stdout, end);
        using var tick = new PeriodicTimer(TimeSpan.FromSeconds(10));
        do
        {
            foreach (var line in LabStatusLines.Format(monitor.Sample()))
            {
                await stdout.WriteLineAsync(line).ConfigureAwait(false);
            }
        }
        while (await Task.WhenAny(end, tick.WaitForNextTickAsync(CancellationToken.None).AsTask()).ConfigureAwait(false) != end);

        // The end is bounded: a last full sample lists every pod and runs the live checks, which an overloaded lab
        // takes many seconds to do; the last health sample and the first round's line say what matters at once.
        await firstRound.WaitAsync(TimeSpan.FromSeconds(1), CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (lab.Health.Latest is { } health)
        {
            await stdout.WriteLineAsync(LabStatusLines.Health(health)).ConfigureAwait(false);
        }
    }

    // The start-up counts the first scrape round: said once, when the last farm target serves its first scrape.
    private static async Task ReportFirstScrapeRoundAsync(SimLab lab, TextWriter stdout, Task end)
    {
        if (lab.Scenario.Targets.Count <= 0)
        {
            return;
        }

        await Task.WhenAny(lab.FirstScrapeRound, end).ConfigureAwait(false);
        await stdout.WriteLineAsync(lab.FirstScrapeRound.IsCompletedSuccessfully
            ? string.Create(CultureInfo.InvariantCulture, $"First scrape round complete in {lab.FirstScrapeRound.Result.TotalSeconds:0.00} s: all {lab.Scenario.Targets.Count:N0} farm targets scraped (timeScale {lab.Scenario.TimeScale:0.##}: every {ScrapeBudget.ScrapeInterval.TotalSeconds / lab.Scenario.TimeScale:0.#} s).")
            : string.Create(CultureInfo.InvariantCulture, $"First scrape round incomplete: {lab.FarmTargetsScraped:N0} of {lab.Scenario.Targets.Count:N0} farm targets scraped")
                + (lab.FarmTargetsScraped == 0
                    ? " — none at all: does the Target Allocator discover them? (the guide's namespaced Role lets it see nothing; `test` judges it in the sharding check)"
                    : ".")).ConfigureAwait(false);
    }

    /// <summary>The fastest a forced time scale may run.</summary>
    internal const double MaxTimeScale = 1000;

    internal sealed record UpRequest(string? Scenario, string? Manifests, string Cluster, string? Duration, int? Targets, double? Rate, int Port, string? Images = null, string? Charts = null, double? TimeScale = null, string? GitOpsRepo = null, bool WatchOverWire = false, string? Kubeconfig = null, IReadOnlyList<string>? KubeconfigServiceAccounts = null);

    /// <summary>The options of <c>up</c>, declared once for the verb and the root command.</summary>
    private sealed class UpOptions
    {
        private readonly Option<string?> _scenario = new("--scenario", "-s") { Description = $"Bundled scenario to run (default: {BundledScenarios.Default}, the guide's pipeline as written)." };
        private readonly Option<string?> _manifests = new("--manifests", "-m") { Description = "Run your own GitOps folder of Kubernetes YAML instead of a bundled scenario." };
        private readonly Option<string> _cluster = new("--cluster") { Description = "Substrate: sim (in-process simulated cluster) or k3s (needs a Docker engine, and images and charts from registries or --images/--charts).", DefaultValueFactory = _ => "sim" };
        private readonly Option<string?> _duration = new("--duration", "-d") { Description = "Stop after this long once up (e.g. 60s, 5m); default: until Ctrl+C." };
        private readonly Option<int?> _targets = new("--targets") { Description = "Scrape targets for the farm (overrides the scenario's targets.count)." };
        private readonly Option<double?> _rate = new("--rate") { Description = "Trace load in requests per second (overrides the scenario's load.rate)." };
        private readonly Option<string?> _images = new("--images") { Description = "k3s only: a folder of docker save tarballs imported into k3s's containerd (air-gapped machines)." };
        private readonly Option<string?> _charts = new("--charts") { Description = "k3s only: a folder of helm pull chart tarballs (NAME-VERSION.tgz) installed without the chart repositories." };
        private readonly Option<double?> _timeScale = new("--time-scale") { Description = "Force the lab clock's timeScale (1 = real time): no budget at start, no lowering mid-run; simulation health is still reported." };
        private readonly Option<string?> _gitopsRepo = new("--gitops-repo") { Description = "Your GitOps repository (work tree or bare clone) behind the Argo CD Applications in the manifests: Argo CD syncs from it." };
        private readonly Option<bool> _watchOverWire = new("--watch-over-wire") { Description = TestCommand.WatchOverWireDescription };
        private readonly Option<string?> _kubeconfig = new("--kubeconfig") { Description = "Write the lab's kubeconfig here (default: the run folder); `export KUBECONFIG=` is printed at start." };
        private readonly Option<string[]> _kubeconfigServiceAccounts = new("--kubeconfig-service-account") { Description = "NAMESPACE/NAME (repeatable): add a context otel-lab:NAMESPACE:NAME acting as that ServiceAccount (its token, the cluster's RBAC), for kubectl --context.", AllowMultipleArgumentsPerToken = false };
        private readonly Option<int> _port = new("--port") { Description = "Aspire dashboard port on 127.0.0.1 (its OTLP endpoints take the next two, its resource service the one before; 0 = any free ports, -1 = headless, no dashboard).", DefaultValueFactory = _ => LabAppHost.DefaultPort };

        public UpOptions()
        {
            _cluster.AcceptOnlyFromAmong(Clusters);
        }

        public void AddTo(Command command)
        {
            command.Add(_scenario);
            command.Add(_manifests);
            command.Add(_cluster);
            command.Add(_duration);
            command.Add(_targets);
            command.Add(_rate);
            command.Add(_port);
            command.Add(_images);
            command.Add(_charts);
            command.Add(_timeScale);
            command.Add(_gitopsRepo);
            command.Add(_watchOverWire);
            command.Add(_kubeconfig);
            command.Add(_kubeconfigServiceAccounts);
        }

        public UpRequest Read(ParseResult parse) => new(
            parse.GetValue(_scenario), parse.GetValue(_manifests), parse.GetValue(_cluster) ?? "sim", parse.GetValue(_duration),
            parse.GetValue(_targets), parse.GetValue(_rate), parse.GetValue(_port), parse.GetValue(_images), parse.GetValue(_charts), parse.GetValue(_timeScale), parse.GetValue(_gitopsRepo), parse.GetValue(_watchOverWire),
            parse.GetValue(_kubeconfig), parse.GetValue(_kubeconfigServiceAccounts) ?? []);
    }
}
