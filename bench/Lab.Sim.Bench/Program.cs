using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using k8s.Models;
using OtelLab.Model.Manifests;
using OtelLab.Sim.Cluster;
using OtelLab.Sim.Kubelet;
using OtelLab.Sim.Networking;
using OtelLab.Sim.Operator;

// Simulated-cluster benchmark: `dotnet run -c Release --project bench/Lab.Sim.Bench [-- <repo root>]`.
// Prints figures measured side by side in one run; keep it short (the machine is shared).
var root = args.Length > 0 ? args[0] : FindRoot();
var payments = Path.Combine(root, "scenarios", "payments", "manifests");
var inv = CultureInfo.InvariantCulture;

Console.WriteLine("== apply payments (3 nodes, operator, in-process stand-in containers) until 8 pods are Ready ==");
var runs = new List<double>();
for (var i = 0; i < 5; i++)
{
    runs.Add(await ApplyPaymentsAsync(payments));
}

Console.WriteLine(string.Create(inv, $"runs ms: {string.Join(", ", runs.Select(r => r.ToString("0.0", inv)))}; median {Median(runs):0.0} ms (first run includes JIT)"));

foreach (var replicas in new[] { 300, 1000 })
{
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var (apply, ready) = await ScaleAsync(replicas);
    cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
    Console.WriteLine(string.Create(inv, $"== {replicas}-replica Deployment + Service: controllers settle in {apply:0} ms; all pods Ready with endpoints in {ready:0} ms ({ready / replicas:0.00} ms/pod), CPU {cpu.TotalMilliseconds:0} ms =="));
}

Console.WriteLine("== kube-proxy forwarding (one connection, 256 MiB each way through an echo backend) ==");
var (direct, proxied, connDirect, connProxied) = await ProxyAsync();
Console.WriteLine(string.Create(inv, $"direct {direct:0} MiB/s, via VIP {proxied:0} MiB/s, ratio {proxied / direct:0.00}"));
Console.WriteLine(string.Create(inv, $"new connections: direct {connDirect:0}/s, via VIP {connProxied:0}/s, ratio {connProxied / connDirect:0.00}"));
return 0;

static async Task<double> ApplyPaymentsAsync(string folder)
{
    var sw = Stopwatch.StartNew();
    var cluster = new SimulatedCluster(new ClusterOptions { Nodes = 3 });
    OpenTelemetryOperator.Install(cluster);
    var runtime = new InProcessContainerRuntime();
    runtime.Register("otel/*", async (ctx, stop) =>
    {
        ctx.Readiness.Set(true);
        await Task.Delay(Timeout.Infinite, stop);
        return 0;
    });
    await using var agents = NodeAgents.Start(cluster, new KubeletOptions { Runtimes = [runtime] });
    await cluster.ApplyAsync(ManifestLoader.Load([folder]));
    var ok = await cluster.WaitUntilAsync(c => c.List<V1Pod>().Count(Ready) == 8, TimeSpan.FromSeconds(60));
    sw.Stop();
    return ok ? sw.Elapsed.TotalMilliseconds : double.NaN;
}

static async Task<(double Apply, double Ready)> ScaleAsync(int replicas)
{
    var cluster = new SimulatedCluster(new ClusterOptions { Nodes = 3 });
    await using var agents = NodeAgents.Start(cluster);
    var yaml = $$$$"""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: farm, namespace: default}
        spec:
          replicas: {{{{replicas}}}}
          selector: {matchLabels: {app: farm}}
          template:
            metadata: {labels: {app: farm}}
            spec: {containers: [{name: t, image: "lab/target:1", ports: [{name: metrics, containerPort: 9100}]}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: farm, namespace: default}
        spec: {selector: {app: farm}, ports: [{name: metrics, port: 9100, targetPort: metrics}]}
        """;
    var sw = Stopwatch.StartNew();
    await cluster.ApplyAsync(ManifestLoader.LoadText("farm.yaml", yaml));
    var apply = sw.Elapsed.TotalMilliseconds;
    await cluster.WaitUntilAsync(c => c.Get<V1Endpoints>("default", "farm")?.Subsets?.Sum(s => s.Addresses?.Count ?? 0) == replicas, TimeSpan.FromMinutes(5));
    var elapsed = sw.Elapsed.TotalMilliseconds;
    Console.WriteLine("   controllers: " + string.Join(", ", cluster.ControllerTime.OrderByDescending(kv => kv.Value).Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key} {kv.Value.TotalMilliseconds:0} ms"))));
    return (apply, elapsed);
}

static async Task<(double Direct, double Proxied, double ConnDirect, double ConnProxied)> ProxyAsync()
{
    var cluster = new SimulatedCluster(new ClusterOptions { Nodes = 1 });
    await cluster.ApplyAsync(ManifestLoader.LoadText("echo.yaml", """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: echo, namespace: default}
        spec:
          replicas: 1
          selector: {matchLabels: {app: echo}}
          template:
            metadata: {labels: {app: echo}}
            spec: {containers: [{name: e, image: "lab/echo:1"}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: echo, namespace: default}
        spec: {selector: {app: echo}, ports: [{name: tcp, port: 7000}]}
        """));
    var pod = cluster.List<V1Pod>().Single(p => p.Metadata.Labels["app"] == "echo");
    var backend = new IPEndPoint(IPAddress.Parse(pod.Status.PodIP), 7000);
    using var listener = new TcpListener(backend);
    listener.Start(1024);
    using var stop = new CancellationTokenSource();
    _ = EchoAsync(listener, stop.Token);
    var copy = k8s.KubernetesJson.Deserialize<V1Pod>(k8s.KubernetesJson.Serialize(pod));
    copy.Status.Conditions = [new V1PodCondition { Type = "Ready", Status = "True" }];
    cluster.UpdateStatus(copy);
    await using var proxy = new KubeProxy(cluster);
    proxy.Start();
    var vip = new IPEndPoint(IPAddress.Parse(cluster.Get<V1Service>("default", "echo")!.Spec.ClusterIP), 7000);

    var direct = await ThroughputAsync(backend);
    var proxied = await ThroughputAsync(vip);
    var connDirect = await ConnectRateAsync(backend);
    var connProxied = await ConnectRateAsync(vip);
    await stop.CancelAsync();
    return (direct, proxied, connDirect, connProxied);
}

static async Task<double> ThroughputAsync(IPEndPoint target)
{
    const int total = 256 * 1024 * 1024;
    using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
    await socket.ConnectAsync(target);
    var buffer = new byte[64 * 1024];
    var sw = Stopwatch.StartNew();
    var reader = Task.Run(async () =>
    {
        var inbound = new byte[64 * 1024];
        long got = 0;
        while (got < total)
        {
            var n = await socket.ReceiveAsync(inbound, SocketFlags.None);
            if (n == 0)
            {
                break;
            }

            got += n;
        }
    });
    for (long sent = 0; sent < total; sent += buffer.Length)
    {
        await socket.SendAsync(buffer, SocketFlags.None);
    }

    await reader;
    return total / 1024.0 / 1024.0 / sw.Elapsed.TotalSeconds;
}

static async Task<double> ConnectRateAsync(IPEndPoint target)
{
    const int count = 2000;
    var sw = Stopwatch.StartNew();
    for (var i = 0; i < count; i++)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(target);
        await socket.SendAsync(new byte[] { 1 }, SocketFlags.None);
        var one = new byte[1];
        await socket.ReceiveAsync(one, SocketFlags.None);
    }

    return count / sw.Elapsed.TotalSeconds;
}

static async Task EchoAsync(TcpListener listener, CancellationToken stop)
{
    while (!stop.IsCancellationRequested)
    {
        var client = await listener.AcceptSocketAsync(stop);
        _ = Task.Run(async () =>
        {
            using (client)
            {
                var buffer = new byte[64 * 1024];
                int n;
                while ((n = await client.ReceiveAsync(buffer, SocketFlags.None, stop)) > 0)
                {
                    await client.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, stop);
                }
            }
        }, stop);
    }
}

static bool Ready(V1Pod p) => p.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted[sorted.Count / 2];
}

static string FindRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Lab.sln")))
        {
            return dir.FullName;
        }
    }

    throw new InvalidOperationException("run from inside the repository or pass its root");
}
