using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using k8s.Models;
using OtelLab.Model.Manifests;
using OtelLab.Sim.Cluster;
using OtelLab.Sim.Kubelet;
using OtelLab.Sim.Networking;
using OtelLab.Sim.Operator;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Sim;

/// <summary>The payments scenario end to end on the simulated substrate: operator, kubelets (in-process stand-ins), kube-proxy.</summary>
[Collection(nameof(SimulatedNetworkCollection))]
[Trait("Category", "Lab")]
public sealed class PaymentsRunTests
{
    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Every_pod_but_the_gateways_runs_ready_and_the_agent_service_forwards_to_the_local_agent()
    {
        if (!LoopbackSupport.Probe().Supported)
        {
            Assert.Skip(LoopbackSupport.Probe().Problem!);
        }

        // Given the operator, a kubelet per node whose collector image listens on the pod's OTLP port, and kube-proxy
        var ct = TestContext.Current.CancellationToken;
        var cluster = SimFixtures.NewCluster(nodes: 3);
        OpenTelemetryOperator.Install(cluster);
        var collectors = new InProcessContainerRuntime();
        var listening = new ConcurrentDictionary<string, TaskCompletionSource>(StringComparer.Ordinal);
        TaskCompletionSource Listening(string pod) => listening.GetOrAdd(pod, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        collectors.Register("otel/opentelemetry-collector-contrib:*", async (ctx, stop) =>
        {
            using var listener = new TcpListener(ctx.PodAddress, 4317);
            listener.Start();
            ctx.Readiness.Set(true);
            Listening(ctx.Pod.Metadata.Name).TrySetResult();
            while (!stop.IsCancellationRequested)
            {
                using var client = await listener.AcceptTcpClientAsync(stop);
                await client.GetStream().WriteAsync(System.Text.Encoding.ASCII.GetBytes(ctx.Pod.Metadata.Name + "\n"), stop);
            }

            return 0;
        });
        await using var agents = NodeAgents.Start(cluster, new KubeletOptions { Runtimes = [collectors] });
        await using var proxy = new KubeProxy(cluster);
        proxy.Start();

        // When the guide's manifests are applied
        var manifests = ManifestLoader.Load([Path.Combine(RepoPaths.Scenario("payments"), "manifests")]);
        await cluster.ApplyAsync(manifests, ct);

        // Then 3 agents, 3 prometheus collectors, 1 TA and checkout become Ready; the gateway has no pod at all
        static bool AllReady(SimulatedCluster c) =>
            c.List<V1Pod>().Count(p => p.Status?.Conditions?.Any(x => x.Type == "Ready" && x.Status == "True") == true) == 8;
        Assert.True(await cluster.WaitUntilAsync(AllReady, TimeSpan.FromSeconds(30), ct), string.Join("\n", cluster.List<V1Pod>().Select(p => $"{p.Metadata.Name} {p.Status?.Phase}")));
        Assert.Empty(cluster.List<V1Pod>("observability", LabelSelector.Parse("app.kubernetes.io/instance=observability.otel-gateway")));

        // and checkout was instrumented at creation: its auto-instrumentation init container ran to completion first
        var checkout = Assert.Single(cluster.List<V1Pod>("payments", LabelSelector.Parse("app=checkout")));
        var init = Assert.Single(checkout.Status.InitContainerStatuses);
        Assert.Equal("opentelemetry-auto-instrumentation-java", init.Name);
        Assert.Equal(0, init.State?.Terminated?.ExitCode);

        // And a client on lab-node-2 reaching the agent Service VIP lands on lab-node-2's agent (internalTrafficPolicy: Local)
        var vip = IPAddress.Parse(cluster.Get<V1Service>("observability", "otel-agent-collector")!.Spec.ClusterIP);
        var node2Agent = cluster.List<V1Pod>("observability", LabelSelector.Parse("app.kubernetes.io/instance=observability.otel-agent"))
            .Single(p => p.Spec.NodeName == "lab-node-2").Metadata.Name;
        // The endpoints controller adds a Ready pod to its Service's endpoints after the pod turns Ready, as upstream's
        // does; until then kube-proxy has no endpoint for the node and rejects (a busy CI machine widened that gap).
        Assert.True(await cluster.WaitUntilAsync(
            c => c.Get<V1Endpoints>("observability", "otel-agent-collector")?.Subsets?.Any(s => s.Addresses?.Any(a => a.TargetRef?.Name == node2Agent) == true) == true,
            TimeSpan.FromSeconds(30), ct));
        // Without a readiness probe a started container is Ready at once (kubelet's prober: no probe, ready on start),
        // which can be before the stand-in has bound its port.
        await Listening(node2Agent).Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
        for (var i = 0; i < 3; i++)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(cluster.NodeAddress("lab-node-2")!, 0));
            string? answer;
            try
            {
                await socket.ConnectAsync(new IPEndPoint(vip, 4317), ct);
                using var reader = new StreamReader(new NetworkStream(socket));
                answer = await reader.ReadLineAsync(ct);
            }
            catch (Exception e) when (e is SocketException or IOException)
            {
                // (a reset can surface from the read as an IOException around the SocketException)
                var error = (e as SocketException ?? e.InnerException as SocketException)?.SocketErrorCode.ToString() ?? e.Message;
                Assert.Fail($"connection {i + 1} to {vip}:4317 from lab-node-2: {error}; kube-proxy's resets: {string.Join("; ", proxy.Resets)}; "
                    + $"endpoints: {string.Join(", ", cluster.Get<V1Endpoints>("observability", "otel-agent-collector")?.Subsets?.SelectMany(s => s.Addresses ?? []).Select(a => $"{a.TargetRef?.Name}@{a.NodeName}") ?? [])}; "
                    + $"agents: {string.Join(", ", cluster.List<V1Pod>("observability").Select(p => $"{p.Metadata.Name} {p.Spec.NodeName} {p.Status?.Phase}"))}");
                throw;
            }

            Assert.Equal(node2Agent, answer);
        }

        Assert.True(cluster.ControllerErrors.Count == 0, string.Join("\n", cluster.ControllerErrors));
    }
}
