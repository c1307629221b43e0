using k8s.Models;
using OtelLab.Model.Manifests;
using OtelLab.Sim.Cluster;
using OtelLab.Sim.Kubelet;
using OtelLab.Sim.Networking;
using OtelLab.Sim.Operator;
using OtelLab.Tests.SampleServices;
using OtelLab.Tests.Sim;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Scenarios;

/// <summary>
/// A scenario's manifests on the simulated cluster with the operator, a kubelet per node running the sample services
/// as processes (<see cref="ProcessContainerRuntime"/>) and the collectors as <see cref="RecordingCollectorRuntime"/>,
/// kube-proxy and the CNI portmap (hostPort).
/// </summary>
internal sealed class ScenarioRun : IAsyncDisposable
{
    private LoopbackAddressSlot? _slot;

    private ScenarioRun(SimulatedCluster cluster, RecordingCollectorRuntime collectors, ProcessContainerRuntime processes, NodeAgents agents, KubeProxy proxy, HostPortMap hostPorts)
    {
        Cluster = cluster;
        Collectors = collectors;
        Processes = processes;
        Agents = agents;
        Proxy = proxy;
        HostPorts = hostPorts;
    }

    public SimulatedCluster Cluster { get; }

    public RecordingCollectorRuntime Collectors { get; }

    public ProcessContainerRuntime Processes { get; }

    public NodeAgents Agents { get; }

    public KubeProxy Proxy { get; }

    public HostPortMap HostPorts { get; }

    /// <summary>Skips (with the reason) unless loopback aliases, java/python3/node and the built agents are available.</summary>
    public static void SkipUnlessRunnable()
    {
        if (!LoopbackSupport.Probe().Supported)
        {
            Assert.Skip(LoopbackSupport.Probe().Problem!);
        }

        SampleServiceChain.SkipUnlessRunnable();
    }

    public static async Task<ScenarioRun> StartAsync(string scenario, CancellationToken cancellationToken)
    {
        // Its own address slot: runs in other tests may bind pods beside this one.
        var slot = LoopbackAddressSlot.Claim();
        var cluster = SimFixtures.NewCluster(nodes: 3, addresses: slot.NewPlan());
        OpenTelemetryOperator.Install(cluster);
        var collectors = new RecordingCollectorRuntime();
        var processes = new ProcessContainerRuntime(ProcessImageCatalog.Load(Path.Combine(RepoPaths.Root, "SampleServices")));
        var agents = NodeAgents.Start(cluster, new KubeletOptions { Runtimes = [processes, collectors.Runtime], Environment = new KubeletEnvironment(cluster) });
        var proxy = new KubeProxy(cluster);
        proxy.Start();
        var hostPorts = new HostPortMap(cluster);
        hostPorts.Start();
        var run = new ScenarioRun(cluster, collectors, processes, agents, proxy, hostPorts) { _slot = slot };
        var manifests = ManifestLoader.Load([Path.Combine(RepoPaths.Scenario(scenario), "manifests")]);
        await cluster.ApplyAsync(manifests, cancellationToken);
        return run;
    }

    public V1Pod Pod(string ns, string app) => Assert.Single(Cluster.List<V1Pod>(ns, LabelSelector.Parse($"app={app}")));

    /// <summary>Waits until the pods with these app labels in the namespace are Ready; fails with their status and logs.</summary>
    public async Task WaitReadyAsync(string ns, IReadOnlyList<string> apps, CancellationToken cancellationToken)
    {
        bool Ready(SimulatedCluster c) => apps.All(a => c.List<V1Pod>(ns, LabelSelector.Parse($"app={a}"))
            .Any(p => p.Status?.Conditions?.Any(x => x.Type == "Ready" && x.Status == "True") == true));
        Assert.True(await Cluster.WaitUntilAsync(Ready, TimeSpan.FromSeconds(90), cancellationToken), Describe(ns));
    }

    /// <summary>Waits until each app's pod answers GET /health on its pod IP (a pod without a readiness probe is Ready before it listens).</summary>
    public async Task WaitServingAsync(string ns, IReadOnlyList<string> apps, CancellationToken cancellationToken)
    {
        await WaitReadyAsync(ns, apps, cancellationToken);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        foreach (var app in apps)
        {
            var url = $"http://{Pod(ns, app).Status.PodIP}:8080/health";
            var serving = await Eventually.WaitAsync(
                async () =>
                {
                    try
                    {
                        using var response = await http.GetAsync(url, cancellationToken);
                        return response.IsSuccessStatusCode;
                    }
                    catch (HttpRequestException)
                    {
                        return false;
                    }
                    catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        return false;
                    }
                },
                TimeSpan.FromSeconds(60),
                cancellationToken);
            Assert.True(serving, $"{app} does not answer {url}\n{Describe(ns)}");
        }
    }

    public IReadOnlyList<string> Log(string ns, string pod, string container) => Agents.LogOf(ns, pod, container)?.Lines() ?? [];

    public string Describe(string ns) => string.Join("\n", Cluster.List<V1Pod>(ns).Select(p =>
        $"{p.Metadata.Name} node={p.Spec.NodeName} ip={p.Status?.PodIP} phase={p.Status?.Phase} " +
        string.Join(" ", (p.Status?.ContainerStatuses ?? []).Select(s => $"[{s.Name} ready={s.Ready} restarts={s.RestartCount} {s.State?.Waiting?.Reason}{s.State?.Terminated?.Reason}]")) + "\n  " +
        string.Join("\n  ", (p.Spec.Containers ?? []).SelectMany(c => Log(ns, p.Metadata.Name, c.Name).TakeLast(15).Select(l => $"{c.Name}| {l}")))));

    public async ValueTask DisposeAsync()
    {
        await Agents.DisposeAsync();
        await Processes.DisposeAsync();
        await HostPorts.DisposeAsync();
        await Proxy.DisposeAsync();
        _slot?.Dispose();
    }
}
