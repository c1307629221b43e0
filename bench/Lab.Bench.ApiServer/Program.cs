using System.Diagnostics;
using System.Globalization;
using k8s;
using k8s.Models;
using OtelLab.Model.Manifests;
using OtelLab.Scenarios;
using OtelLab.Scenarios.Definition;
using OtelLab.Sim.ApiServer;
using OtelLab.Sim.Cluster;
using OtelLab.Sim.Operator;

// Kubernetes API benchmark, all figures from one run side by side: the simulated cluster's store read in process
// against the same reads through the API server on loopback HTTP with KubernetesClient —
//  1. get and list latency (p50/p99);
//  2. watch: the time from a write to its event reaching every watcher, and the CPU spent per event (client and server
//     share this process, so the wire figure is both sides), for 1 and 8 watchers (the lab's own: TA discovery,
//     k8sattributes per agent, the operator);
//  3. the lab's own watchers (the Target Allocator's discovery, k8sattributes, the loadbalancing k8s resolver and the
//     operator) in process against over the wire (watchOverWire), and over the wire with the operator kept in process
//     (its share): wall time and process CPU from start to steady state (workloads Ready, every farm target allocated,
//     every k8sattributes cache synced, the wire operator's queue empty) and the CPU of the steady lab afterwards, for
//     payments-fixed with each target count (no trace load, idle sample services: the control plane's cost alone).
// Usage: dotnet run -c Release --project bench/Lab.Bench.ApiServer -- [manifests=scenarios/payments-fixed/manifests] [samples=500] [targets=300,3000]
var manifestsPath = args.Length > 0 ? args[0] : Path.Combine("scenarios", "payments-fixed", "manifests");
var samples = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 500;
var targetCounts = (args.Length > 2 ? args[2] : "300,3000").Split(',').Select(t => int.Parse(t, CultureInfo.InvariantCulture)).ToList();
Console.WriteLine($"Kubernetes API benchmark: {Environment.ProcessorCount} cores, load average {LoadAverage()} (wall-clock figures; other work on the machine inflates them)");

var cluster = new SimulatedCluster(new ClusterOptions { Nodes = 3 });
OpenTelemetryOperator.Install(cluster);
var manifests = ManifestLoader.Load([manifestsPath]);
if (manifests.Errors.Count > 0)
{
    Console.Error.WriteLine(string.Join('\n', manifests.Errors));
    return 2;
}

await cluster.ApplyAsync(manifests);
await using var server = await KubernetesApiServer.StartAsync(cluster);
var kubeconfig = server.WriteKubeconfig(Path.Combine(Path.GetTempPath(), $"bench-kubeconfig-{Environment.ProcessId}"));
using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
var pods = cluster.List<V1Pod>();
var pod = pods[0];
foreach (var size in new[] { 100, 9_000 })
{
    // Bare pods in a namespace of their own, so a namespaced list returns exactly this many.
    var ns = $"bench-{size}";
    cluster.Create(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
    for (var i = 0; i < size; i++)
    {
        cluster.Create(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = $"p-{i}", NamespaceProperty = ns, Labels = new Dictionary<string, string> { ["app"] = "bench" } },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "example/bench:1" }] },
        });
    }
}

Console.WriteLine($"store: {cluster.List<V1Pod>().Count} pods, {cluster.List<V1Deployment>().Count} deployments, {cluster.List<V1ConfigMap>().Count} configmaps; {samples} samples per figure");
Console.WriteLine();

// 1. get / list.
Console.WriteLine($"{"operation",-34} {"in-process p50",15} {"p99",9} {"wire p50",10} {"p99",9} {"wire/in-process (p50)",22}");
await Row("get pod", samples,
    () => { _ = cluster.Get<V1Pod>(pod.Metadata.NamespaceProperty, pod.Metadata.Name); return Task.CompletedTask; },
    () => client.CoreV1.ReadNamespacedPodAsync(pod.Metadata.Name, pod.Metadata.NamespaceProperty));
await Row($"list pods, all namespaces ({cluster.List<V1Pod>().Count:N0})", Math.Max(10, samples / 25),
    () => { _ = cluster.List<V1Pod>(); return Task.CompletedTask; },
    () => client.CoreV1.ListPodForAllNamespacesAsync());
await Row("list pods, a namespace of 100", samples / 5,
    () => { _ = cluster.List<V1Pod>("bench-100"); return Task.CompletedTask; },
    () => client.CoreV1.ListNamespacedPodAsync("bench-100"));
await Row("list pods, a namespace of 9,000", Math.Max(10, samples / 25),
    () => { _ = cluster.List<V1Pod>("bench-9000"); return Task.CompletedTask; },
    () => client.CoreV1.ListNamespacedPodAsync("bench-9000"));
await Row("list pods by label (one namespace)", samples / 5,
    () => { _ = cluster.List<V1Pod>("observability", LabelSelector.Parse("app.kubernetes.io/managed-by=opentelemetry-operator")); return Task.CompletedTask; },
    () => client.CoreV1.ListNamespacedPodAsync("observability", labelSelector: "app.kubernetes.io/managed-by=opentelemetry-operator"));
Console.WriteLine();

// 2. watch.
Console.WriteLine($"{"watchers",8} {"path",-10} {"write→all seen p50 ms",22} {"p99 ms",8} {"CPU µs/event",13}");
cluster.Create(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "bench", NamespaceProperty = "default" }, Data = new Dictionary<string, string> { ["i"] = "0" } });
foreach (var watchers in new[] { 1, 8 })
{
    foreach (var wire in new[] { false, true })
    {
        var (p50, p99, cpu) = await WatchAsync(watchers, wire, samples / 5);
        Console.WriteLine($"{watchers,8} {(wire ? "wire" : "in-process"),-10} {p50,22:0.000} {p99,8:0.000} {cpu,13:0}");
    }
}

File.Delete(kubeconfig);
Console.WriteLine();

// 3. the lab's own watchers.
Console.WriteLine($"{"targets",8} {"mode",-14} {"to steady s",12} {"CPU-ms",8} {"steady CPU cores",17} {"open watches",13} {"reconciles",11}");
var modes = new[] { Mode.InProcess, Mode.WireOperatorInProcess, Mode.Wire };
var results = new Dictionary<(int, Mode), LabFigures>();

// One unmeasured lab of each mode first: the first lab of a process pays for loading and compiling the whole lab.
foreach (var mode in modes)
{
    _ = await LabAsync(targetCounts[0], mode);
}

foreach (var targets in targetCounts)
{
    foreach (var mode in modes)
    {
        var f = await LabAsync(targets, mode);
        results[(targets, mode)] = f;
        Console.WriteLine($"{targets,8:N0} {Name(mode),-14} {f.ToSteady.TotalSeconds,12:0.00} {f.CpuToSteady.TotalMilliseconds,8:N0} {f.SteadyCores,17:0.000} {f.OpenWatches,13} {(f.Reconciles is { } r ? r.ToString(CultureInfo.InvariantCulture) : "-"),11}");
    }

    var local = results[(targets, Mode.InProcess)];
    foreach (var mode in new[] { Mode.WireOperatorInProcess, Mode.Wire })
    {
        var remote = results[(targets, mode)];
        Console.WriteLine($"{targets,8:N0} {Name(mode) + "/in",-14} {remote.ToSteady / local.ToSteady,11:0.00}× {remote.CpuToSteady / local.CpuToSteady,7:0.00}× {(remote.SteadyCores - local.SteadyCores) * 1000,13:+0;-0} ms/s");
    }
}

Console.WriteLine($"load average at the end: {LoadAverage()}");
return 0;

static string Name(Mode mode) => mode switch
{
    Mode.InProcess => "in-process",
    Mode.WireOperatorInProcess => "wire, op in",
    _ => "wire",
};

async Task<LabFigures> LabAsync(int targets, Mode mode)
{
    // The scenario whose manifests these are (payments-fixed by default).
    var scenario = ScenarioLoader.Load(Path.GetDirectoryName(Path.GetFullPath(manifestsPath))!);
    scenario = scenario with
    {
        WatchOverWire = mode != Mode.InProcess,
        Targets = scenario.Targets with { Count = targets },
        Load = scenario.Load with { RatePerSecond = 0 },
    };
    var me = Process.GetCurrentProcess();
    me.Refresh();
    var cpu0 = me.TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    await using var lab = SimLab.Create(SimLabOptions.ForScenario(scenario, sampleServicesDirectory: null) with { ReadyTimeout = TimeSpan.FromMinutes(4), OperatorOverWire = mode == Mode.Wire });
    if (!await lab.StartAsync(CancellationToken.None))
    {
        throw new InvalidOperationException($"{targets} targets, {Name(mode)}: the lab did not start");
    }

    // Steady: every farm target allocated by the TA and every k8sattributes cache synced.
    using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
    while (!Steady(lab, targets))
    {
        if (clock.Elapsed > TimeSpan.FromMinutes(4))
        {
            throw new TimeoutException($"{targets} targets, {Name(mode)}: not steady after 4 minutes");
        }

        await poll.WaitForNextTickAsync();
    }

    var toSteady = clock.Elapsed;
    me.Refresh();
    var cpuToSteady = me.TotalProcessorTime - cpu0;

    // Steady cost: the lab idle but for its scrapes and watches.
    var cpu1 = me.TotalProcessorTime;
    var window = Stopwatch.StartNew();
    await Task.Delay(TimeSpan.FromSeconds(10));
    me.Refresh();
    var cores = (me.TotalProcessorTime - cpu1).TotalSeconds / window.Elapsed.TotalSeconds;
    return new LabFigures(toSteady, cpuToSteady, cores, lab.ApiServer?.OpenWatches ?? 0, lab.OperatorOnWire?.Reconciles);
}

static bool Steady(SimLab lab, int targets)
{
    var allocated = lab.TargetAllocators.Values.Sum(t => t.Allocator.TargetItems().Count);
    var caches = lab.Collectors.SelectMany(c => c.Instance.Service.Components.Select(x => x.Component))
        .OfType<OtelLab.Sim.Collector.Processors.K8sAttributes.K8sAttributesProcessor>().ToList();
    return allocated >= targets && caches.Count > 0 && caches.All(k => k.PodsSynced) && lab.OperatorOnWire is not { Pending: > 0 };
}

async Task Row(string name, int n, Func<Task> local, Func<Task> remote)
{
    var (lp50, lp99) = await Measure(n, local);
    var (rp50, rp99) = await Measure(n, remote);
    Console.WriteLine($"{name,-34} {lp50 * 1000,12:0.0} µs {lp99 * 1000,6:0.0} µs {rp50,7:0.00} ms {rp99,6:0.00} ms {rp50 / lp50,21:0}×");
}

static async Task<(double P50, double P99)> Measure(int n, Func<Task> action)
{
    for (var i = 0; i < Math.Min(20, n); i++)
    {
        await action();
    }

    var times = new double[n];
    for (var i = 0; i < n; i++)
    {
        var start = Stopwatch.GetTimestamp();
        await action();
        times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    return Percentiles(times);
}

// Each write waits until every watcher has seen its event, so a sample is one event's latency to the slowest watcher.
async Task<(double P50, double P99, double CpuMicros)> WatchAsync(int watchers, bool wire, int n)
{
    using var stop = new CancellationTokenSource();
    var seen = new long[watchers];
    var signal = new SemaphoreSlim(0);
    var ready = new TaskCompletionSource();
    var opened = 0;
    var loops = Enumerable.Range(0, watchers).Select(w => Task.Run(async () =>
    {
        try
        {
            if (wire)
            {
                var list = await client.CoreV1.ListNamespacedConfigMapAsync("default", fieldSelector: "metadata.name=bench", cancellationToken: stop.Token);
                var events = client.CoreV1.WatchListNamespacedConfigMapAsync("default", fieldSelector: "metadata.name=bench",
                    resourceVersion: list.Metadata.ResourceVersion, onError: _ => { }, cancellationToken: stop.Token);
                var enumerator = events.GetAsyncEnumerator(stop.Token);
                var first = enumerator.MoveNextAsync();
                MarkOpen();
                for (var next = first; await next; next = enumerator.MoveNextAsync())
                {
                    Seen(w, enumerator.Current.Item2.Data["i"]);
                }
            }
            else
            {
                var events = cluster.WatchAsync(["ConfigMap"], cancellationToken: stop.Token).GetAsyncEnumerator(stop.Token);
                var first = events.MoveNextAsync();
                MarkOpen();
                for (var next = first; await next; next = events.MoveNextAsync())
                {
                    if (events.Current.Object is V1ConfigMap { Metadata.Name: "bench" } cm)
                    {
                        Seen(w, cm.Data["i"]);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    })).ToList();
    await ready.Task;

    // The server registers a wire watch when its request arrives: one write seen by all is the proof they are live.
    var times = new List<double>();
    var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    for (var i = -1; i < n; i++)
    {
        var value = (Interlocked.Read(ref seen[0]) + 1).ToString(CultureInfo.InvariantCulture);
        var target = long.Parse(value, CultureInfo.InvariantCulture);
        var start = Stopwatch.GetTimestamp();
        var cm = cluster.Get<V1ConfigMap>("default", "bench")!;
        cm.Data["i"] = value;
        cluster.Update(cm);
        while (seen.Any(s => Interlocked.Read(ref s) < target))
        {
            if (!await signal.WaitAsync(TimeSpan.FromSeconds(i < 0 ? 10 : 5)))
            {
                throw new TimeoutException($"watchers did not all see write {value} ({string.Join(", ", seen)})");
            }
        }

        if (i >= 0)
        {
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
    }

    var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMicroseconds / n;
    await stop.CancelAsync();
    await Task.WhenAll(loops);
    var (p50, p99) = Percentiles([.. times]);
    return (p50, p99, cpu);

    void MarkOpen()
    {
        if (Interlocked.Increment(ref opened) == watchers)
        {
            ready.TrySetResult();
        }
    }

    void Seen(int w, string value)
    {
        Interlocked.Exchange(ref seen[w], long.Parse(value, CultureInfo.InvariantCulture));
        signal.Release();
    }
}

static (double P50, double P99) Percentiles(double[] values)
{
    Array.Sort(values);
    return (values[(int)(values.Length * 0.50)], values[Math.Min(values.Length - 1, (int)Math.Ceiling(values.Length * 0.99) - 1)]);
}

static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

internal sealed record LabFigures(TimeSpan ToSteady, TimeSpan CpuToSteady, double SteadyCores, int OpenWatches, int? Reconciles);

internal enum Mode
{
    InProcess,
    WireOperatorInProcess,
    Wire,
}
