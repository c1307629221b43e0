using System.Globalization;
using System.Net;
using k8s.Models;
using OtelLab.Backends;
using OtelLab.Backends.Datadog;
using OtelLab.Backends.Dynatrace;
using OtelLab.Load.Requests;
using OtelLab.Load.TargetFarm.Pods;
using OtelLab.Model;
using OtelLab.Model.Crds;
using OtelLab.Model.Manifests;
using OtelLab.Model.Rbac;
using OtelLab.Model.Time;
using OtelLab.Scenarios.Definition;
using OtelLab.Scenarios.Faults;
using OtelLab.Scenarios.Internal;
using OtelLab.Scenarios.Resources;
using OtelLab.Sim.ApiServer;
using OtelLab.Sim.Cluster;
using OtelLab.Sim.Kubelet;
using OtelLab.Sim.Networking;
using OtelLab.Sim.Operator;
using OtelLab.Sim.Vault;

namespace OtelLab.Scenarios;

/// <summary>
/// The composition root of the simulated substrate: one scenario brought up as a resource graph, read top to bottom
/// like an Aspire AppHost — infrastructure (cluster, DNS, kube-proxy, Vault, mock backends), the operator, the
/// kubelets with the runtimes the caller plugs in, the manifests, then the workloads' readiness. Disposing shuts
/// everything down in reverse order.
/// </summary>
public sealed class SimLab : IAsyncDisposable
{
    private readonly SimLabOptions _options;
    private readonly bool _ownsWorkDirectory;
    private readonly IReadOnlyList<ManifestSet> _extraManifests;
    private readonly TaskCompletionSource<TimeSpan> _firstScrapeRound = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ServiceAccountTokenIssuer? _serviceAccounts;
    private VaultAgentInitRuntime? _vaultInit;
    private FaultSchedule? _faults;
    private Sim.ArgoCd.ServiceNowChangeGate? _changeGate;
    private HttpClient? _serviceNowHttp;
    private RunningLoad? _load;
    private readonly long _droppedRequestsBefore = Sim.Collector.ShutdownLoss.Requests;
    private readonly long _droppedItemsBefore = Sim.Collector.ShutdownLoss.Items;

    private SimLab(SimLabOptions options, ManifestSet manifests, IReadOnlyList<ManifestSet> extraManifests)
    {
        _extraManifests = extraManifests;
        _options = options;
        Scenario = options.Scenario;
        Manifests = manifests;
        _ownsWorkDirectory = options.WorkDirectory is null;
        WorkDirectory = options.WorkDirectory ?? Path.Combine(Path.GetTempPath(), "otel-lab", "run-" + Guid.NewGuid().ToString("N")[..12]);
        // One clock for every emulated timer, scaled by the scenario's timeScale; start-up and the first scrape round
        // are budgets in wall time, so the resource graph keeps the wall clock underneath.
        Clock = options.Time as LabClock ?? new LabClock(options.Scenario.TimeScale, options.Time);
        Graph = new ResourceGraph(Clock.Real);
        Health = new Health.SimulationHealthMonitor(Clock);
        Compose();
    }

    public ScenarioDefinition Scenario { get; }

    /// <summary>Export requests (and the spans or points in them) this lab's collectors dropped because a shutdown deadline cut their drain short.</summary>
    public (long Requests, long Items) DroppedAtShutdown =>
        (Sim.Collector.ShutdownLoss.Requests - _droppedRequestsBefore, Sim.Collector.ShutdownLoss.Items - _droppedItemsBefore);

    /// <summary>Scrapes in flight in the process now (at the start of a shutdown: the scrapes it cancels).</summary>
    public static int ScrapesInFlight => Sim.Collector.Receivers.Prometheus.Internal.ScrapeSlots.InFlight;

    /// <summary>The lab clock every emulated timer reads (its scale is the scenario's timeScale, changeable mid-run).</summary>
    public LabClock Clock { get; }

    /// <summary>The scenario's manifests as loaded (with file:line positions).</summary>
    public ManifestSet Manifests { get; }

    public ResourceGraph Graph { get; }

    /// <summary>Whether the simulator keeps its own schedule (sampled by whoever hosts the lab: <see cref="Health.SimulationHealthMonitor.RunAsync"/>).</summary>
    public Health.SimulationHealthMonitor Health { get; }

    public string WorkDirectory { get; }

    public SimulatedCluster? Cluster { get; private set; }

    /// <summary>The cluster's Kubernetes API (kubectl, KubernetesClient); null until the cluster starts.</summary>
    public KubernetesApiServer? ApiServer { get; private set; }

    private bool OperatorOverWire => Scenario.WatchOverWire && _options.OperatorOverWire;

    /// <summary>The operator running as an API client (watchOverWire); null when it reconciles in process.</summary>
    public OperatorManager? OperatorOnWire { get; private set; }

    /// <summary>The API server's URL, e.g. <c>https://127.0.0.1:41234</c>; null until the cluster starts.</summary>
    public Uri? ApiServerAddress => ApiServer?.Address;

    /// <summary>A kubeconfig for the API server in the work directory (<c>export KUBECONFIG=…</c>); null until the cluster starts.</summary>
    public string? KubeconfigPath { get; private set; }

    public ClusterDns? Dns { get; private set; }

    public KubeProxy? KubeProxy { get; private set; }

    /// <summary>hostIP:hostPort forwarding to pods (the CNI portmap plugin).</summary>
    public HostPortMap? HostPorts { get; private set; }

    public ExternalEndpoints ExternalEndpoints { get; } = new();

    public VaultServer? Vault { get; private set; }

    /// <summary>What the scenario's vault: block wrote (generated credentials, masked when printed).</summary>
    public VaultSetupResult? VaultSetup { get; private set; }

    public DynatraceBackend? Dynatrace { get; private set; }

    public DatadogBackend? Datadog { get; private set; }

    public IReadOnlyList<IMockBackend> Backends => new IMockBackend?[] { Dynatrace, Datadog }.OfType<IMockBackend>().ToList();

    public NodeAgents? NodeAgents { get; private set; }

    /// <summary>The container runtimes the kubelets ask, in order (empty until the node agents start).</summary>
    public IReadOnlyList<IContainerRuntime> Runtimes { get; private set; } = [];

    /// <summary>The running collector pods, each with its emulated instance and tier (empty until the pods run).</summary>
    public IReadOnlyList<Monitoring.RunningCollector> Collectors => Monitoring.CollectorFleet.Of(this);

    /// <summary>The emulated collector running a pod, or null when none does (not a collector pod, not started, gone).</summary>
    public Sim.Collector.Runtime.CollectorInstance? CollectorOf(string? ns, string pod) =>
        Runtimes.OfType<Sim.Collector.Runtime.CollectorContainerRuntime>().Select(r => r.Find(ns ?? "default", pod)).FirstOrDefault(i => i is not null);

    /// <summary>Each running Target Allocator, by its pod's name.</summary>
    public IReadOnlyDictionary<string, Sim.TargetAllocation.TargetAllocator> TargetAllocators =>
        Runtimes.OfType<Sim.TargetAllocation.Runtime.TargetAllocatorContainerRuntime>().SelectMany(r => r.Running).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);

    public ApplyResult? ApplyResult { get; private set; }

    /// <summary>
    /// The manifests hold Argo CD Applications and their repositories are mapped: the lab runs Argo CD (the
    /// Application CRD served, its namespace, the controller).
    /// </summary>
    public bool DeliversThroughArgoCd => (_options.GitOps is not null || Scenario.GitOps is not null) && GitOps.ArgoCdResource.ApplicationsIn(Manifests).Count > 0;

    /// <summary>The ServiceNow mock gating Argo CD's syncs (null unless the scenario's gitops block has a changeGate).</summary>
    public Backends.ServiceNow.ServiceNowInstance? ServiceNow { get; private set; }

    /// <summary>The change board's client of <see cref="ServiceNow"/> (the scenario's approve/reject steps use it).</summary>
    public GitOps.ChangeBoard? ChangeBoard { get; private set; }

    /// <summary>The repository the lab built from the scenario's gitops block (null when the caller mapped its own).</summary>
    public string? GitOpsRepositoryPath { get; private set; }

    /// <summary>The scenario's gitops steps as they run (null when it has none).</summary>
    public GitOps.GitOpsSteps? GitOpsRun { get; private set; }

    /// <summary>The emulated Argo CD application controller (null unless the scenario's Applications have mapped repositories).</summary>
    public Sim.ArgoCd.ArgoApplicationController? ArgoCd { get; private set; }

    /// <summary>The services handed to runtime factories (null until the infrastructure is up).</summary>
    public SimLabServices? Services { get; private set; }

    public IReadOnlyList<VaultInjection> VaultInjections => _vaultInit?.Injections ?? [];

    /// <summary>The load's run (null until it starts, or when the scenario sends none): completes with what it sent and got back.</summary>
    public Task<HttpLoadReport>? LoadRun { get; private set; }

    /// <summary>The scenario's <c>load.simulations</c> run (null until the load starts, or when the scenario gives a single rate): live stats per load scenario and phase.</summary>
    public Load.Simulations.LoadRun? SimulationRun { get; private set; }

    /// <summary>Completes with the simulations' final stats once every phase has run (null like <see cref="SimulationRun"/>).</summary>
    public Task<IReadOnlyList<Load.Simulations.ScenarioStatsSnapshot>>? SimulationCompletion { get; private set; }

    /// <summary>What each load target of the simulations was aimed at (or why it sends nothing), one line each.</summary>
    public IReadOnlyList<string> LoadNotes { get; private set; } = [];

    /// <summary>Lab time since the simulations started, read from the lab clock when they started (null before).</summary>
    public TimeSpan? SimulationStartedAt { get; private set; }

    /// <summary>The scenario's <c>faults:</c> steps applied so far.</summary>
    public IReadOnlyList<FaultEvent> FaultEvents => _faults?.Events ?? [];

    /// <summary>From start until every resource was Running (null before, or when one failed).</summary>
    public TimeSpan? StartupTime => Graph.StartupTime;

    /// <summary>
    /// Completes with the time from start until every farm target (<c>targets.count</c>) has served a scrape: the first
    /// scrape round, counted in the start-up budget. Never completes when some target is never scraped (e.g. the TA
    /// discovers nothing) or the scenario has no farm.
    /// </summary>
    public Task<TimeSpan> FirstScrapeRound => _firstScrapeRound.Task;

    /// <summary>Farm targets scraped at least once so far (the first round's progress).</summary>
    public int FarmTargetsScraped => Runtimes.OfType<ScrapeTargetContainerRuntime>().Sum(r => r.ScrapedTargets);

    /// <summary>
    /// Each collector pod's exporter failure counters at the moment the lab became ready (before the load): data a
    /// collector dropped while the pipeline was still starting (e.g. an agent's loadbalancing exporter before any
    /// gateway pod resolved), which a long-running cluster does not see again. Empty until then.
    /// </summary>
    public IReadOnlyList<Checks.CollectorFailureCounters> ReadyCounters { get; private set; } = [];

    /// <summary>Scrapes the farm's pods have answered so far (all replicas, all rounds).</summary>
    public long FarmScrapesServed => Runtimes.OfType<ScrapeTargetContainerRuntime>().Sum(r => r.ScrapesServed);

    /// <summary>Loads the scenario's manifests (throws <see cref="ScenarioInputException"/> on unusable input) and composes the graph; nothing runs yet.</summary>
    public static SimLab Create(SimLabOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var paths = options.Scenario.ManifestPaths;
        if (paths.FirstOrDefault(p => !Directory.Exists(p) && !File.Exists(p)) is { } path)
        {
            throw new ScenarioInputException([new ManifestError(new SourceLocation(options.Scenario.File ?? path, 0, 0),
                $"manifests folder {path} does not exist", "point manifests: (or --manifests) at a folder of Kubernetes YAML")]);
        }

        var manifests = ManifestLoader.Load(paths, recursive: true);
        var extra = options.ExtraManifests.Select(f => f(options.Scenario)).OfType<ManifestSet>().ToList();
        var errors = manifests.Errors.Concat(extra.SelectMany(m => m.Errors)).ToList();
        if (errors.Count > 0)
        {
            throw new ScenarioInputException(errors);
        }

        return new SimLab(options, manifests, extra);
    }

    /// <summary>Starts every resource in dependency order; true when all are Running (see <see cref="Graph"/> for why not).</summary>
    public Task<bool> StartAsync(CancellationToken cancellationToken = default) => Graph.StartAsync(cancellationToken);

    public IReadOnlyList<V1Pod> Pods() => Cluster?.List<V1Pod>() ?? [];

    /// <summary>A container's log lines (kubelet-held), or null when the pod or container is unknown.</summary>
    public ContainerLog? ContainerLog(string ns, string pod, string container) => NodeAgents?.LogOf(ns, pod, container);

    public async ValueTask DisposeAsync()
    {
        await Graph.DisposeAsync().ConfigureAwait(false);
        if (_ownsWorkDirectory)
        {
            try
            {
                Directory.Delete(WorkDirectory, recursive: true);
            }
            catch (DirectoryNotFoundException)
            {
                // nothing was written
            }
            catch (IOException)
            {
                // best effort: a leftover temp folder is harmless
            }
        }
    }

    private void Compose()
    {
        // Infrastructure
        var cluster = Graph.Add(new LabResource { Name = LabResourceNames.Cluster, Kind = "cluster", Start = StartClusterAsync });
        var dns = Graph.Add(new LabResource { Name = LabResourceNames.ClusterDns, Kind = "dns", Start = StartDnsAsync }).WaitFor(cluster);
        var proxy = Graph.Add(new LabResource { Name = LabResourceNames.KubeProxy, Kind = "network", Start = StartKubeProxyAsync }).WaitFor(cluster);
        var vault = Graph.Add(new LabResource { Name = LabResourceNames.Vault, Kind = "vault", Start = StartVaultAsync }).WaitFor(cluster);
        var dynatrace = Graph.Add(new LabResource { Name = LabResourceNames.Dynatrace, Kind = "backend", Start = StartDynatraceAsync })
            .WaitFor(vault, dns)
            .WithHealthCheck((_, _) => Task.FromResult(Dynatrace!.IsListening ? HealthCheckResult.Ok : HealthCheckResult.Unhealthy("not listening")));
        var datadog = Graph.Add(new LabResource { Name = LabResourceNames.Datadog, Kind = "backend", Start = StartDatadogAsync })
            .WaitFor(vault, dns)
            .WithHealthCheck((_, _) => Task.FromResult(Datadog!.IsListening ? HealthCheckResult.Ok : HealthCheckResult.Unhealthy("not listening")));

        // The operator, then the node agents running the pods it and the manifests create
        // (over the wire the operator's ServiceAccount token comes from the signer Vault's resource starts)
        var op = Graph.Add(new LabResource { Name = LabResourceNames.Operator, Kind = "operator", Start = StartOperatorAsync })
            .WaitFor(OperatorOverWire ? new[] { cluster, vault } : new[] { cluster });
        var agents = Graph.Add(new LabResource { Name = LabResourceNames.NodeAgents, Kind = "node-agents", Start = StartNodeAgentsAsync })
            .WaitFor(op, dns, proxy, vault, dynatrace, datadog);

        // The scenario's manifests, and their pods Ready
        var manifests = Graph.Add(new LabResource { Name = LabResourceNames.Manifests, Kind = "manifests", Start = ApplyManifestsAsync }).WaitFor(agents);
        LabResource? argocd = null;
        // Argo CD, when the manifests hold Applications and their repositories are mapped: syncs them through the API
        if (DeliversThroughArgoCd && GitOps.ArgoCdResource.ApplicationsIn(Manifests) is { Count: > 0 } applications)
        {
            // The ServiceNow change gate in front of its syncs, with the credentials the lab's Vault issued
            LabResource? servicenow = null;
            if (Scenario.GitOps?.ServiceNowCredentials is not null && _options.GitOps?.Gate is null)
            {
                servicenow = Graph.Add(new LabResource { Name = LabResourceNames.ServiceNow, Kind = "servicenow", Start = StartServiceNowAsync }).WaitFor(vault)
                    .WithHealthCheck((_, _) => Task.FromResult(ServiceNow!.IsListening ? HealthCheckResult.Ok : HealthCheckResult.Unhealthy("not listening")));
            }

            argocd = Graph.Add(new LabResource
            {
                Name = LabResourceNames.ArgoCd,
                Kind = "argocd",
                Start = async (context, ct) =>
                {
                    // The scenario's gitops: block is built into a real repository when the caller maps none.
                    var gitops = _options.GitOps;
                    if (gitops is null)
                    {
                        GitOpsRepositoryPath = Path.Combine(WorkDirectory, "gitops-repo");
                        gitops = await GitOps.GitOpsRepository.CreateAsync(Scenario.GitOps!, GitOpsRepositoryPath, ct).ConfigureAwait(false);
                    }

                    if (gitops.Gate is null && _changeGate is not null)
                    {
                        gitops = gitops with { Gate = _changeGate };
                    }

                    ArgoCd = await GitOps.ArgoCdResource.StartAsync(context, KubeconfigPath!, WorkDirectory, gitops, applications, Clock).ConfigureAwait(false);
                    return ArgoCd;
                },
            }).WaitFor([manifests, .. servicenow is null ? Array.Empty<LabResource>() : [servicenow]])
              .WithHealthCheck((_, ct) => GitOps.ArgoCdResource.FirstSyncAsync(ArgoCd!, ct), _options.ReadyTimeout);
        }

        var workloads = Graph.Add(new LabResource { Name = LabResourceNames.Workloads, Kind = "workloads", Start = (_, _) => Task.FromResult<IAsyncDisposable?>(null) })
            .WaitFor([manifests, .. argocd is null ? Array.Empty<LabResource>() : [argocd]])
            .WithHealthCheck(WorkloadsReadyAsync, _options.ReadyTimeout);

        // The scenario's load: requests into the front service once everything is Ready
        var load = Graph.Add(new LabResource { Name = LabResourceNames.Load, Kind = "load", Start = StartLoadAsync }).WaitFor(workloads);

        // The scenario's fault steps, timed from the start of the load
        if (Scenario.Faults.Count > 0)
        {
            Graph.Add(new LabResource { Name = LabResourceNames.Faults, Kind = "faults", Start = StartFaultsAsync }).WaitFor(load);
        }

        // The scenario's gitops steps (commits in the repository the lab built, the change board's decisions), in order
        if (argocd is not null && Scenario.GitOps is { Steps.Count: > 0 } && _options.GitOps is null)
        {
            Graph.Add(new LabResource { Name = LabResourceNames.GitOpsSteps, Kind = "gitops-steps", Start = StartGitOpsStepsAsync }).WaitFor(load);
        }
    }

    private Task<IAsyncDisposable?> StartGitOpsStepsAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        GitOpsRun = GitOps.GitOpsSteps.Start(Scenario.GitOps!, GitOpsRepositoryPath!, ArgoCd!, ChangeBoard, Clock, context.Log.Write, (kind, ns, name) =>
            ResourceKind.All.FirstOrDefault(k => string.Equals(k.Kind, kind, StringComparison.OrdinalIgnoreCase) || string.Equals(k.Resource, kind, StringComparison.OrdinalIgnoreCase)) is { } k
            && Cluster!.Delete(k.Kind, ns, name));
        context.Log.Write($"{Scenario.GitOps!.Steps.Count} step(s): {string.Join("; ", Scenario.GitOps.Steps)}");
        return Task.FromResult<IAsyncDisposable?>(GitOpsRun);
    }

    private async Task<IAsyncDisposable?> StartServiceNowAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        var path = Scenario.GitOps!.ServiceNowCredentials!;
        var (user, password) = await GitOps.ServiceNowCredentials.ReadAsync(Vault!, path, Scenario.GitOps.Location, cancellationToken).ConfigureAwait(false);
        ServiceNow = new Backends.ServiceNow.ServiceNowInstanceBuilder().WithUser(user, password).WithTimeProvider(Clock).Build();
        await ServiceNow.StartAsync(cancellationToken).ConfigureAwait(false);
        _serviceNowHttp = new HttpClient();
        // The verdict reads the repository Argo CD syncs from: the caller's (--gitops-repo) or the one the lab builds.
        var map = _options.GitOps?.Repositories;
        var repository = map?.Find(Scenario.GitOps.RepoUrl) ?? (map?.RepoUrls.Count == 1 ? map.Find(map.RepoUrls.First()) : null) ?? Path.Combine(WorkDirectory, "gitops-repo");
        var verdict = new GitOps.RevisionVerdict(Scenario, repository, WorkDirectory);
        var checks = Scenario.GitOps.GateRunsChecks ? _options.RevisionChecks : null;
        _changeGate = new Sim.ArgoCd.ServiceNowChangeGate(_serviceNowHttp, ServiceNow.BaseAddress, user, password)
        {
            Verdict = verdict.DescribeAsync,
            GateFirstSync = false,
            Checks = checks is null ? null : async (request, ct) =>
            {
                // On the ServiceNow resource's log too: the dashboard shows what the change request's work note says.
                context.Log.Write($"checks for {request.Revision[..7]}: running");
                try
                {
                    var note = await checks(Scenario, repository, request.Revision, ct).ConfigureAwait(false);
                    context.Log.Write(note);
                    return note;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    context.Log.Write($"checks for {request.Revision[..7]} could not run: {e.Message}");
                    throw;
                }
            },
        };
        if (Scenario.GitOps.GateRunsChecks && checks is null)
        {
            context.Log.Write("changeGate.checks: this host cannot run the checks for a revision; the change requests carry the lint verdict only");
        }

        ChangeBoard = new GitOps.ChangeBoard(_serviceNowHttp, ServiceNow.BaseAddress, user, password);
        context.Log.Write($"Table API at {ServiceNow.BaseAddress}; user {user}, password from Vault {path} ({Sim.Vault.Internal.SecretText.Mask(password)})");
        return new ServiceNowHandle(ServiceNow, _serviceNowHttp, _changeGate);
    }

    private Task<IAsyncDisposable?> StartFaultsAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        _faults = FaultSchedule.Start(this, Scenario.Faults, Clock, context.Log.Write);
        context.Log.Write($"{Scenario.Faults.Count} step(s): {string.Join("; ", Scenario.Faults)}");
        return Task.FromResult<IAsyncDisposable?>(_faults);
    }

    private Task<IAsyncDisposable?> StartLoadAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        // The lab is ready (every workload Ready): what the collectors counted so far happened during start-up.
        ReadyCounters = Monitoring.CollectorFleet.Of(this).Select(Checks.CollectorFailureCounters.Of).ToList();
        var load = Scenario.Load;
        if (load.Simulations.Count > 0)
        {
            return Task.FromResult<IAsyncDisposable?>(StartSimulations(context, load));
        }

        if (load.RatePerSecond <= 0 || load.Services.Count == 0)
        {
            context.Log.Write("no load: the scenario's load.rate is 0 or it names no services");
            return Task.FromResult<IAsyncDisposable?>(null);
        }

        var front = load.Services[0];
        var pod = Cluster!.List<V1Pod>().FirstOrDefault(p => p.Metadata.Labels?.TryGetValue("app", out var app) == true && app == front && p.Status?.PodIP is not null);
        if (pod is null)
        {
            context.Log.Write($"no load: no pod labelled app={front} runs");
            return Task.FromResult<IAsyncDisposable?>(null);
        }

        // The load comes from outside the pods (the first node's address), like an ingress: checkout's SERVER span is the root.
        var url = new Uri($"http://{pod.Status.PodIP}:8080/checkout");
        var source = Cluster.NodeAddress(Cluster.Nodes[0].Metadata.Name);
        var driver = new HttpLoadDriver(new HttpLoadOptions { Url = url, RequestsPerSecond = load.RatePerSecond, SourceAddress = source, TimeProvider = Clock });
        var requests = (int)Math.Min(int.MaxValue, load.RatePerSecond * (load.Duration ?? TimeSpan.FromDays(1)).TotalSeconds);
        var stop = new CancellationTokenSource();
        var run = Task.Run(() => driver.RunAsync(requests, stop.Token), CancellationToken.None);
        LoadRun = run;
        context.Log.Write(string.Create(CultureInfo.InvariantCulture, $"{load.RatePerSecond}/s of lab time into {url} from {source}"));
        _load = new RunningLoad(stop, run, () =>
        {
            var report = run.Result;
            context.Log.Write(string.Create(CultureInfo.InvariantCulture,
                $"{report.Requests} request(s): {string.Join(", ", report.ByStatus.Select(kv => $"{kv.Key}×{kv.Value}"))}{(report.Failures.Count > 0 ? "; failed: " + string.Join(", ", report.Failures.Select(kv => $"{kv.Key}×{kv.Value}")) : "")}"));
        });
        return Task.FromResult<IAsyncDisposable?>(_load);
    }

    // load.simulations: NBomber-style phases per target, paced on the lab clock (Loads.LabLoadScenarios says what each target does).
    private IAsyncDisposable StartSimulations(ResourceContext context, LoadSpec load)
    {
        var targets = Loads.LabLoadScenarios.For(this, load, TimeSpan.FromMinutes(1));
        LoadNotes = targets.Notes;
        foreach (var note in targets.Notes)
        {
            context.Log.Write(note);
        }

        var run = new Load.Simulations.LoadRun(targets.Scenarios, Clock) { PhaseCompleted = _options.LoadPhaseCompleted };
        var stop = new CancellationTokenSource();
        SimulationStartedAt = Clock.Elapsed;
        SimulationRun = run;
        var completion = Task.Run(() => run.RunAsync(stop.Token), CancellationToken.None);
        SimulationCompletion = completion;
        // Live progress in the load resource's console log (the dashboard shows it) every 2 s of wall time.
        _ = Task.Run(async () =>
        {
            while (await Task.WhenAny(completion, Task.Delay(TimeSpan.FromSeconds(2), Clock.Real, CancellationToken.None)).ConfigureAwait(false) != completion)
            {
                context.Log.Write(string.Create(CultureInfo.InvariantCulture, $"[{run.Elapsed.TotalSeconds:0.0}/{run.PlannedDuration.TotalSeconds:0.0} s lab] ")
                    + string.Join(" | ", run.Snapshot().Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Scenario}: {s.Total.Ok} ok, {s.Total.Fail} fail, {s.Total.Rps:0.#} RPS, p99 {s.Total.P99Ms:0.#} ms"))));
            }
        }, CancellationToken.None);
        context.Log.Write($"{targets.Scenarios.Count} load scenario(s): " + string.Join("; ", targets.Scenarios.Select(s => $"{s.Name}: {string.Join(", ", s.Simulations)}")));
        _load = new RunningLoad(stop, completion, () =>
        {
            foreach (var s in run.Snapshot())
            {
                context.Log.Write(string.Create(CultureInfo.InvariantCulture, $"{s.Scenario}: {s.Total.Count} request(s), ok {s.Total.Ok}, fail {s.Total.Fail}"));
            }

            targets.Dispose();
        });
        return _load;
    }

    /// <summary>
    /// Stops the scenario's load early (idempotent; shutdown still disposes it): checks that judge a drained, quiet
    /// pipeline (conservation) call it. Returns whether a load was running.
    /// </summary>
    public async Task<bool> StopLoadAsync()
    {
        if (_load is not { } load)
        {
            return false;
        }

        await load.DisposeAsync().ConfigureAwait(false);
        return true;
    }

    private sealed class RunningLoad(CancellationTokenSource stop, Task run, Action report) : IAsyncDisposable
    {
        private int _disposed;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1)
            {
                return;
            }

            await stop.CancelAsync().ConfigureAwait(false);
            await run.ConfigureAwait(false);
            report();
            stop.Dispose();
        }
    }

    private async Task<IAsyncDisposable?> StartClusterAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        var probe = LoopbackSupport.Probe();
        if (!probe.Supported)
        {
            throw new InvalidOperationException(probe.Problem);
        }

        // Another lab on this machine (another terminal, a test beside this one) holds its own address slot.
        var held = _options.AddressSlot;
        var slot = held ?? LoopbackAddressSlot.Claim();

        // The API server serves exactly the CRDs the scenario's declared install ships (its default set when none is declared).
        Cluster = new SimulatedCluster(new ClusterOptions
        {
            Nodes = Scenario.Nodes,
            Time = Clock,
            Addresses = slot.NewPlan(),
            // Manifests with an Argo CD Application come from a cluster that runs Argo CD: its CRD is served (kubectl
            // apply of those manifests then stores it) even where the lab does not emulate the controller.
            CustomResourceDefinitions = GitOps.ArgoCdResource.ApplicationsIn(Manifests).Count > 0
                ? [.. Model.Crds.CrdCatalog.ForInstall(Scenario.Install.InstalledCrds()), Model.Crds.CrdCatalog.ArgoCdApplications]
                : Model.Crds.CrdCatalog.ForInstall(Scenario.Install.InstalledCrds()),
        });
        foreach (var ns in GitOps.ArgoCdResource.ApplicationsIn(Manifests).Count > 0 ? GitOps.ArgoCdResource.ApplicationsIn(Manifests).Select(a => a.Namespace).Distinct(StringComparer.Ordinal) : [])
        {
            // Argo CD's own namespace (its install creates it): the Applications live there.
            if (Cluster.Get(ResourceKind.Of("Namespace"), null, ns) is null)
            {
                Cluster.Create(ResourceKind.Of("Namespace"), new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
            }
        }

        context.Log.Write($"{Scenario.Nodes} node(s): {string.Join(", ", Cluster.Nodes.Select(n => $"{n.Metadata.Name} ({Cluster.NodeAddress(n.Metadata.Name)})"))}; address slot {slot.Slot}");
        try
        {
            ApiServer = await KubernetesApiServer.StartAsync(Cluster, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            if (held is null)
            {
                slot.Dispose();
            }

            throw;
        }

        KubeconfigPath = ApiServer.WriteKubeconfig(_options.KubeconfigPath ?? Path.Combine(WorkDirectory, "kubeconfig"));
        context.Log.Write($"API server {ApiServer.Address}; export KUBECONFIG={KubeconfigPath}");
        return new ClusterHandle(ApiServer, held is null ? slot : null);
    }

    private Task<IAsyncDisposable?> StartDnsAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        Dns = new ClusterDns(Cluster!);
        context.Log.Write($"serving {Cluster!.Options.ClusterDomain}");
        return Task.FromResult<IAsyncDisposable?>(null);
    }

    private Task<IAsyncDisposable?> StartKubeProxyAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        KubeProxy = new KubeProxy(Cluster!);
        KubeProxy.Start();

        // hostPort (the CNI portmap plugin) is node networking like kube-proxy: the agents' node-IP:4317/4318 exist only through it.
        HostPorts = new HostPortMap(Cluster!);
        HostPorts.Start();
        return Task.FromResult<IAsyncDisposable?>(new DisposeInOrder([HostPorts, KubeProxy]));
    }

    private async Task<IAsyncDisposable?> StartVaultAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        _serviceAccounts = new ServiceAccountTokenIssuer();
        if (ApiServer is not null)
        {
            // The API server authenticates ServiceAccount tokens with the same signer Vault's TokenReview uses.
            ApiServer.ServiceAccountTokens = _serviceAccounts.Review;
            if (_options.KubeconfigServiceAccounts.Count > 0 && KubeconfigPath is not null)
            {
                // The ServiceAccounts' contexts need the signer, which starts here: the kubeconfig is written again with them.
                KubeconfigPath = ApiServer.WriteKubeconfig(KubeconfigPath, _options.KubeconfigServiceAccounts.Select(a => (a, _serviceAccounts.Issue(a.Namespace, a.Name))).ToList());
                context.Log.Write($"kubeconfig contexts for {string.Join(", ", _options.KubeconfigServiceAccounts.Select(Kubeconfig.ContextOf))}");
            }
        }

        Vault = await VaultServer.StartAsync(new VaultServerOptions
        {
            Address = IPAddress.Loopback,
            Port = 0,
            TokenReviewer = new ServiceAccountTokenReviewer(_serviceAccounts),
            TimeProvider = Clock,
        }, cancellationToken).ConfigureAwait(false);
        context.Log.Write($"dev server at {Vault.Address}");
        if (Scenario.Vault is { } block)
        {
            VaultSetup = await Sim.Vault.VaultSetup.ApplyAsync(Vault, block, cancellationToken).ConfigureAwait(false);
            context.Log.Write($"scenario vault: block applied: {block.Policies.Count} policies, {block.KubernetesRoles.Count} roles, {block.Secrets.Count} secrets");
            foreach (var g in VaultSetup.Generated)
            {
                context.Log.Write($"generated {g}");
            }
        }

        return new VaultHandle(Vault, _serviceAccounts);
    }

    private async Task<IAsyncDisposable?> StartDynatraceAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        var tokens = VaultSetup?.OfKind(GeneratedSecretKind.DynatraceApiToken).Select(g => g.Value).ToList() ?? [];
        var builder = new DynatraceBackendBuilder().WithTimeProvider(Clock);
        foreach (var token in tokens.DefaultIfEmpty(Sim.Vault.VaultSetup.Generate(GeneratedSecretKind.DynatraceApiToken)))
        {
            builder = builder.WithToken(token);
        }

        Dynatrace = builder.Build();
        await Dynatrace.StartAsync(cancellationToken).ConfigureAwait(false);
        MapHosts(context, Scenario.Backends.DynatraceHosts, Dynatrace.BaseAddress);
        return Dynatrace;
    }

    private async Task<IAsyncDisposable?> StartDatadogAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        var keys = VaultSetup?.OfKind(GeneratedSecretKind.DatadogApiKey).Select(g => g.Value).ToList() ?? [];
        var builder = new DatadogBackendBuilder().WithTimeProvider(Clock);
        foreach (var key in keys.DefaultIfEmpty(Sim.Vault.VaultSetup.Generate(GeneratedSecretKind.DatadogApiKey)))
        {
            builder = builder.WithApiKey(key);
        }

        Datadog = builder.Build();
        await Datadog.StartAsync(cancellationToken).ConfigureAwait(false);
        MapHosts(context, Scenario.Backends.DatadogHosts, Datadog.BaseAddress);
        return Datadog;
    }

    private void MapHosts(ResourceContext context, IReadOnlyList<string> hosts, Uri backend)
    {
        foreach (var host in hosts)
        {
            ExternalEndpoints.Map(host, backend);
            Dns!.AddHost(host, IPAddress.Parse(backend.Host));
            context.Log.Write($"https://{host} → {backend}");
        }
    }

    private Task<IAsyncDisposable?> StartOperatorAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        if (!OperatorOverWire)
        {
            OpenTelemetryOperator.Install(Cluster!);
            context.Log.Write("reconciler and webhooks (collector, instrumentation) installed");
            return Task.FromResult<IAsyncDisposable?>(null);
        }

        // watchOverWire: the manager lists, watches and writes through the API server as the chart's ServiceAccount.
        var server = ApiServer?.Endpoint ?? throw new InvalidOperationException("watchOverWire needs the lab's API server, which has not started");
        var issuer = _serviceAccounts ?? throw new InvalidOperationException("watchOverWire needs the ServiceAccount token signer, which has not started");
        var subject = OperatorChartRbac.Apply(Cluster!);
        OperatorOnWire = OpenTelemetryOperator.RunOverWire(Cluster!, server, issuer.Issue(subject.Namespace, subject.Name), time: Clock, log: context.Log.Write);
        context.Log.Write($"manager as {subject} through the API server at {server} (watchOverWire); webhooks in the API server's admission chain");
        return Task.FromResult<IAsyncDisposable?>(OperatorOnWire);
    }

    private Task<IAsyncDisposable?> StartNodeAgentsAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(WorkDirectory);
        Services = new SimLabServices
        {
            Scenario = Scenario,
            Cluster = Cluster!,
            Dns = Dns!,
            ExternalEndpoints = ExternalEndpoints,
            Dynatrace = Dynatrace!,
            Datadog = Datadog!,
            Time = Clock,
            PodsDirectory = Path.Combine(WorkDirectory, "pods"),
        };
        IReadOnlyList<IContainerRuntime> runtimes =
        [
            .. _options.Runtimes,
            .. _options.RuntimeFactories.Select(f => f(Services)),
            new IdleContainerRuntime(),
        ];
        Runtimes = runtimes;
        foreach (var farm in runtimes.OfType<ScrapeTargetContainerRuntime>())
        {
            farm.TargetScraped += _ =>
            {
                if (Scenario.Targets.Count > 0 && FarmTargetsScraped >= Scenario.Targets.Count)
                {
                    _firstScrapeRound.TrySetResult(Graph.Elapsed);
                }
            };
        }

        _vaultInit = new VaultAgentInitRuntime(runtimes, new AgentInjector(Vault!.Address, _serviceAccounts!), Services.PodRoot);
        NodeAgents = NodeAgents.Start(Cluster!, new KubeletOptions
        {
            Runtimes = [_vaultInit],
            Environment = new KubeletEnvironment(Cluster!),
            ComponentApi = ComponentApi(),
        }, Dns);
        if (Scenario.WatchOverWire)
        {
            context.Log.Write($"the Target Allocator's discovery, k8sattributes and the loadbalancing exporter's k8s resolver list and watch through the API server at {ApiServer!.Address} (watchOverWire)");
        }
        if (ApiServer is not null)
        {
            // The API server reaches containers (logs, exec) through the kubelets, as the real one does.
            ApiServer.Nodes = NodeAgents;
        }

        context.Log.Write($"{NodeAgents.Kubelets.Count} kubelet(s); runtimes: {string.Join(", ", runtimes.Select(r => r.GetType().Name))}");

        // Stopping the kubelets stops their containers; the runtimes then reap anything still alive (a child process
        // mid-restart), so no sample-service process outlives the lab.
        return Task.FromResult<IAsyncDisposable?>(new DisposeInOrder([NodeAgents, .. runtimes.OfType<IAsyncDisposable>()]));
    }

    // watchOverWire: each component gets a KubernetesClient informer with its ServiceAccount's token (the lab's signer
    // mints it, the API server reviews it), so authentication and RBAC are the API server's.
    private Func<RbacSubject, IClusterReader>? ComponentApi()
    {
        if (!Scenario.WatchOverWire)
        {
            return null;
        }

        var server = ApiServer?.Endpoint ?? throw new InvalidOperationException("watchOverWire needs the lab's API server, which has not started");
        var issuer = _serviceAccounts ?? throw new InvalidOperationException("watchOverWire needs the ServiceAccount token signer, which has not started");
        return subject => new WireClusterReader(server, issuer.Issue(subject.Namespace, subject.Name), subject, Clock);
    }

    private async Task<IAsyncDisposable?> ApplyManifestsAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        if (Scenario.Load.Services.Count > 0 && (Scenario.Load.ErrorRatio > 0 || Scenario.Load.SlowRatio > 0))
        {
            context.Log.Write(string.Create(CultureInfo.InvariantCulture, $"load shape → the {Scenario.Load.Services[0]} pods' process env (not the Deployment): ERROR_RATIO={Scenario.Load.ErrorRatio}, SLOW_RATIO={Scenario.Load.SlowRatio}"));
        }

        ApplyResult = await Cluster!.ApplyAsync(Manifests, cancellationToken).ConfigureAwait(false);
        foreach (var outcome in ApplyResult.Outcomes)
        {
            context.Log.Write(outcome.ToString());
        }

        foreach (var extra in _extraManifests)
        {
            var result = await Cluster.ApplyAsync(extra, cancellationToken).ConfigureAwait(false);
            foreach (var outcome in result.Outcomes)
            {
                context.Log.Write("lab: " + outcome);
            }
        }

        return null;
    }

    private async Task<HealthCheckResult> WorkloadsReadyAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        var cluster = Cluster!;
        try
        {
            if (OperatorOnWire is not null)
            {
                // Over the wire the operator reconciles after its watch delivers the collectors: their workloads may
                // not exist yet when the manifests' own pods are Ready.
                await cluster.WaitUntilAsync(c => c.List<OpenTelemetryCollector>().All(o => HasWorkload(c, o)), _options.ReadyTimeout, cancellationToken).ConfigureAwait(false);
            }

            // Settled: every pod Ready, or the ones that are not are failing for good (PodStatus.IsFailing) — waiting out
            // ReadyTimeout for a crash-looping gateway only delays the findings.
            await cluster.WaitUntilAsync(c => c.Count<V1Pod>(p => !PodStatus.IsReady(p) && !PodStatus.IsFailing(p)) == 0, _options.ReadyTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }

        var notReady = cluster.List<V1Pod>().Where(p => !PodStatus.IsReady(p)).ToList();
        if (notReady.Count == 0)
        {
            context.Log.Write($"{cluster.List<V1Pod>().Count} pod(s) Ready");
            return HealthCheckResult.Ok;
        }

        return HealthCheckResult.Unhealthy(string.Join("; ", notReady.Select(p => $"{p.Metadata.NamespaceProperty}/{p.Metadata.Name} {PodStatus.Describe(p)}")));
    }

    private static bool HasWorkload(SimulatedCluster cluster, OpenTelemetryCollector collector)
    {
        var name = collector.Name + "-collector";
        return collector.Mode switch
        {
            CollectorMode.Sidecar => true,
            CollectorMode.DaemonSet => cluster.Get<V1DaemonSet>(collector.Namespace, name) is not null,
            CollectorMode.StatefulSet => cluster.Get<V1StatefulSet>(collector.Namespace, name) is not null,
            _ => cluster.Get<V1Deployment>(collector.Namespace, name) is not null,
        };
    }

    private sealed class ServiceNowHandle(Backends.ServiceNow.ServiceNowInstance instance, HttpClient http, Sim.ArgoCd.ServiceNowChangeGate gate) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            // The gate first: its background checks write to the mock until they stop.
            await gate.DisposeAsync().ConfigureAwait(false);
            http.Dispose();
            await instance.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The API server, then the address slot: the slot is free again only once nothing of this lab listens.</summary>
    private sealed class ClusterHandle(KubernetesApiServer server, LoopbackAddressSlot? owned) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await server.DisposeAsync().ConfigureAwait(false);
            owned?.Dispose();
        }
    }

    private sealed class VaultHandle(VaultServer server, ServiceAccountTokenIssuer issuer) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await server.DisposeAsync().ConfigureAwait(false);
            issuer.Dispose();
        }
    }


    /// <summary>Disposes its parts in the order given (a resource made of several running pieces).</summary>
    private sealed class DisposeInOrder(IReadOnlyList<IAsyncDisposable> parts) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            foreach (var part in parts)
            {
                await part.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
