using OtelLab.Model.Time;
using System.Globalization;
using k8s.Models;
using OtelLab.Sim.Cluster;
using OtelLab.Sim.Kubelet;
using OtelLab.Sim.Networking;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Sim.Kubelet;

/// <summary>The child-process container runtime with small <c>sh</c> images (the sample services are in Scenarios).</summary>
[Collection(nameof(SimulatedNetworkCollection))]
[Trait("Category", "Lab")]
public sealed class ProcessContainerRuntimeTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private static string Pod(string image, string extra = "", string env = "") => $$$$"""
        apiVersion: v1
        kind: Pod
        metadata: {name: p, namespace: default, uid: u1}
        spec:
          nodeName: lab-node-1
          containers:
          - name: main
            image: "{{{{image}}}}"
            env:
            - {name: POD_IP, valueFrom: {fieldRef: {fieldPath: status.podIP}}}
            - {name: AGENT, value: "-javaagent:/otel-auto-instrumentation-java/javaagent.jar"}
            - {name: PEER, value: "http://peer:8080/x"}
            - {name: NODE, value: "http://$(K8S_NODE_NAME):4318"}
            {{{{env}}}}
            volumeMounts: [{name: agent, mountPath: /otel-auto-instrumentation-java}]
          volumes: [{name: agent, emptyDir: {}}]
        {{{{extra}}}}
        """;

    private static async Task<(SimulatedCluster Cluster, NodeAgents Agents, ProcessContainerRuntime Runtime)> StartAsync(params ProcessImage[] images)
    {
        if (!LoopbackSupport.Probe().Supported)
        {
            Assert.Skip(LoopbackSupport.Probe().Problem!);
        }

        var cluster = SimFixtures.NewCluster(nodes: 1, time: new LabClock(100));
        var runtime = new ProcessContainerRuntime(new ProcessImageCatalog(images));
        var agents = NodeAgents.Start(cluster, new KubeletOptions { Runtimes = [runtime], Environment = new KubeletEnvironment(cluster) });
        await SimFixtures.ApplyYamlAsync(cluster, """
            apiVersion: v1
            kind: Service
            metadata: {name: peer, namespace: default}
            spec: {ports: [{port: 8080}]}
            """);
        return (cluster, agents, runtime);
    }

    private static IReadOnlyList<string> Log(NodeAgents agents) => agents.LogOf("default", "p", "main")?.Lines() ?? [];

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Runs_the_image_command_with_the_resolved_env_mapped_to_the_pod_and_its_output_in_the_log()
    {
        // Given an image whose command prints its environment
        var (cluster, agents, runtime) = await StartAsync(new ProcessImage { Image = "lab/env:*", Command = ["sh", "-c", "env | sort; echo done"] });
        await using var _ = agents;
        await using var __ = runtime;

        // When a pod runs it
        await SimFixtures.ApplyYamlAsync(cluster, Pod("lab/env:1"));
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(Log(agents).Contains("done")), Wait, TestContext.Current.CancellationToken), string.Join("\n", Log(agents)));

        // Then the env is the container's: the fieldRef resolved, the emptyDir mount path rewritten to the pod's folder,
        // the Service URL to its ClusterIP, the unexpanded $(K8S_NODE_NAME) left literal, and the bind/source knobs set
        var pod = cluster.Get<V1Pod>("default", "p")!;
        var ip = pod.Status.PodIP;
        var vip = cluster.Get<V1Service>("default", "peer")!.Spec.ClusterIP;
        var volume = Path.Combine(runtime.StateDirectory, $"default_p_{pod.Metadata.Uid}", "volumes", "agent");
        var log = Log(agents);
        Assert.Contains($"POD_IP={ip}", log);
        Assert.Contains($"AGENT=-javaagent:{volume}/javaagent.jar", log);
        Assert.Contains($"PEER=http://{vip}:8080/x", log);
        Assert.Contains("NODE=http://$(K8S_NODE_NAME):4318", log);
        Assert.Contains($"BIND_ADDRESS={ip}", log);
        Assert.Contains($"LAB_SOURCE_ADDRESS={ip}", log);
        Assert.True(Directory.Exists(volume));
        Assert.DoesNotContain(log, l => l.StartsWith("DOTNET_", StringComparison.Ordinal));

        // The lab's one addition at timeScale 100: the SDKs' export delays, the specification's defaults divided by it
        Assert.Equal(
            ["OTEL_BLRP_SCHEDULE_DELAY=10", "OTEL_BSP_SCHEDULE_DELAY=50", "OTEL_METRIC_EXPORT_INTERVAL=600"],
            log.Where(l => l.StartsWith("OTEL_", StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_service_named_in_the_env_and_created_after_the_pod_is_waited_for_and_resolved()
    {
        // Given an image that prints its environment, and a pod whose env names a Service that does not exist yet
        // (a Deployment applied before the Service it calls: a real container finds it on its next DNS lookup)
        var (cluster, agents, runtime) = await StartAsync(new ProcessImage { Image = "lab/late:*", Command = ["sh", "-c", "env | sort; echo done"] });
        await using var _ = agents;
        await using var __ = runtime;
        var ct = TestContext.Current.CancellationToken;
        await SimFixtures.ApplyYamlAsync(cluster, Pod("lab/late:1", env: """- {name: LATE, value: "http://late.default.svc:8080/y"}"""));

        // When the kubelet has reached the container's start and the Service is created only then
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(Log(agents).Any(l => l.Contains("waiting up to 10 s for Service late.default.svc", StringComparison.Ordinal))), Wait, ct), string.Join("\n", Log(agents)));
        await SimFixtures.ApplyYamlAsync(cluster, """
            apiVersion: v1
            kind: Service
            metadata: {name: late, namespace: default}
            spec: {ports: [{port: 8080}]}
            """);

        // Then the process started with the Service's ClusterIP in its env, as its lookup would have found
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(Log(agents).Contains("done")), Wait, ct), string.Join("\n", Log(agents)));
        var vip = cluster.Get<V1Service>("default", "late")!.Spec.ClusterIP;
        Assert.Contains($"LATE=http://{vip}:8080/y", Log(agents));
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Containers_get_the_labs_own_pid_to_end_with_it()
    {
        // Given an image whose command prints the pid it is told to watch
        var (cluster, agents, runtime) = await StartAsync(new ProcessImage { Image = "lab/pid:*", Command = ["sh", "-c", "echo \"watching $LAB_PID\""] });
        await using var _ = agents;
        await using var __ = runtime;

        // When a pod runs it
        await SimFixtures.ApplyYamlAsync(cluster, Pod("lab/pid:1"));

        // Then LAB_PID is this process's (the lab's) pid: the launchers exit when it is gone (no orphan of a killed lab)
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(Log(agents).Any(l => l.StartsWith("watching", StringComparison.Ordinal))), Wait, TestContext.Current.CancellationToken));
        Assert.Contains($"watching {Environment.ProcessId}", Log(agents));
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_crashing_container_is_restarted_by_the_kubelet_and_its_log_keeps_both_runs()
    {
        // Given an image that exits 3 at once
        var (cluster, agents, runtime) = await StartAsync(new ProcessImage { Image = "lab/crash:*", Command = ["sh", "-c", "echo run; exit 3"] });
        await using var _ = agents;
        await using var __ = runtime;

        // When a pod runs it
        await SimFixtures.ApplyYamlAsync(cluster, Pod("lab/crash:1"));

        // Then it is restarted (back-off scaled by 100) with exit code 3 as last state
        Assert.True(await cluster.WaitUntilAsync(c => c.Get<V1Pod>("default", "p")?.Status?.ContainerStatuses?.Single().RestartCount >= 1, Wait, TestContext.Current.CancellationToken));
        var status = cluster.Get<V1Pod>("default", "p")!.Status.ContainerStatuses.Single();
        Assert.Equal(3, status.LastState?.Terminated?.ExitCode ?? status.State.Terminated?.ExitCode);
        // (the restart count goes up before the second run starts: wait for its line)
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(Log(agents).Count(l => l == "run") >= 2), Wait, TestContext.Current.CancellationToken), string.Join("\n", Log(agents)));
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Stopping_a_pod_kills_the_whole_process_tree()
    {
        // Given an image whose main process starts two long-lived children
        var (cluster, agents, runtime) = await StartAsync(new ProcessImage { Image = "lab/tree:*", Command = ["sh", "-c", "sleep 300 & sleep 300 & echo started; wait"] });
        await using var _ = agents;
        await using var __ = runtime;
        await SimFixtures.ApplyYamlAsync(cluster, Pod("lab/tree:1"));
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(Log(agents).Contains("started")), Wait, TestContext.Current.CancellationToken));
        var main = Assert.Single(runtime.ProcessIds);
        var children = Children(main);
        Assert.Equal(2, children.Count);

        // When the pod is deleted
        Assert.True(cluster.Delete("Pod", "default", "p"));

        // Then the main process and both children are gone (no orphan left behind)
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(runtime.ProcessIds.Count == 0 && children.Append(main).All(Gone)), Wait, TestContext.Current.CancellationToken),
            $"still alive: {string.Join(",", children.Append(main).Where(p => !Gone(p)))}");
    }

    private static string GracefulPod(string image, int graceSeconds) => $$"""
        apiVersion: v1
        kind: Pod
        metadata: {name: p, namespace: default, uid: u1}
        spec:
          nodeName: lab-node-1
          terminationGracePeriodSeconds: {{graceSeconds}}
          containers:
          - {name: main, image: "{{image}}"}
        """;

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Stopping_a_pod_sends_SIGTERM_first_and_a_process_that_exits_on_it_ends_by_itself()
    {
        // Given a main process that exits 0 on SIGTERM (after saying so) and a grace period of 300 s (3 s at scale 100)
        var (cluster, agents, runtime) = await StartAsync(new ProcessImage { Image = "lab/term:*", Command = ["sh", "-c", "trap 'echo got-term; exit 0' TERM; echo started; while true; do sleep 0.1; done"] });
        await using var _ = agents;
        await using var __ = runtime;
        await SimFixtures.ApplyYamlAsync(cluster, GracefulPod("lab/term:1", 300));
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(Log(agents).Contains("started")), Wait, TestContext.Current.CancellationToken));
        var tree = Children(Assert.Single(runtime.ProcessIds)).Prepend(runtime.ProcessIds[0]).ToList();
        var log = agents.LogOf("default", "p", "main")!; // held: the kubelet forgets a deleted pod's logs

        // When the pod is deleted
        Assert.True(cluster.Delete("Pod", "default", "p"));

        // Then the process ran its SIGTERM handler (a SIGKILL would leave no line) and every process of it is gone
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(runtime.ProcessIds.Count == 0 && tree.All(Gone)), Wait, TestContext.Current.CancellationToken),
            $"still alive: {string.Join(",", tree.Where(p => !Gone(p)))}");
        Assert.Contains("got-term", log.Lines());
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_process_that_ignores_SIGTERM_is_killed_with_its_children_once_the_scaled_grace_period_is_over()
    {
        // Given a main process that logs SIGTERM but keeps running, with a child, and a grace period of 200 s (2 s at scale 100)
        var (cluster, agents, runtime) = await StartAsync(new ProcessImage { Image = "lab/stubborn:*", Command = ["sh", "-c", "trap 'echo got-term' TERM; sleep 300 & echo started; while true; do sleep 0.1; done"] });
        await using var _ = agents;
        await using var __ = runtime;
        await SimFixtures.ApplyYamlAsync(cluster, GracefulPod("lab/stubborn:1", 200));
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(Log(agents).Contains("started")), Wait, TestContext.Current.CancellationToken));
        var main = Assert.Single(runtime.ProcessIds);
        var sleeper = Children(main).ToList();
        Assert.NotEmpty(sleeper);
        var log = agents.LogOf("default", "p", "main")!; // held: the kubelet forgets a deleted pod's logs

        // When the pod is deleted
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Assert.True(cluster.Delete("Pod", "default", "p"));

        // Then it saw SIGTERM and still ran, and only after the 2 s grace were it and its child SIGKILLed
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(log.Lines().Contains("got-term")), Wait, TestContext.Current.CancellationToken), string.Join("\n", log.Lines()));
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(sleeper.Append(main).All(Gone)), Wait, TestContext.Current.CancellationToken),
            $"still alive: {string.Join(",", sleeper.Append(main).Where(p => !Gone(p)))}");
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(1.9), $"killed after {watch.Elapsed.TotalSeconds:F2} s, before the 2 s grace period");
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_missing_program_is_a_start_error_naming_it_and_how_to_install_it()
    {
        // Given an image whose program is not installed
        var (cluster, agents, runtime) = await StartAsync(new ProcessImage { Image = "lab/java:*", Command = ["no-such-java-xyz", "-jar", "app.jar"], Tool = "java (Java 17+: apt-get install openjdk-17-jre-headless)" });
        await using var _ = agents;
        await using var __ = runtime;

        // When a pod runs it
        await SimFixtures.ApplyYamlAsync(cluster, Pod("lab/java:1"));

        // Then the container log says which program is missing and how to get it
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(Log(agents).Any(l => l.Contains("no-such-java-xyz is not on PATH", StringComparison.Ordinal))), Wait, TestContext.Current.CancellationToken));
        Assert.Contains(Log(agents), l => l.Contains("apt-get install openjdk-17-jre-headless", StringComparison.Ordinal));
    }

    private static List<int> Children(int pid) =>
        Directory.GetDirectories($"/proc/{pid}/task")
            .SelectMany(t => File.ReadAllText(Path.Combine(t, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(s => int.Parse(s, CultureInfo.InvariantCulture))
            .ToList();

    // Gone, or a zombie waiting for a reaper (it runs no more code).
    private static bool Gone(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return true;
        }
    }
}
