using k8s.Models;
using OtelLab.Sim.Cluster;
using OtelLab.Sim.Kubelet;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Sim.Kubelet;

[Collection(nameof(SimulatedNetworkCollection))]
[Trait("Category", "Lab")]
public sealed class KubeletTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private static string Deployment(string image, string probe = "") => $$$$"""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: app, namespace: default}
        spec:
          replicas: 1
          selector: {matchLabels: {app: app}}
          template:
            metadata: {labels: {app: app}}
            spec: {containers: [{name: main, image: "{{{{image}}}}", env: [{name: GREETING, value: hi}, {name: POD, valueFrom: {fieldRef: {fieldPath: metadata.name}}}]{{{{probe}}}}}]}
        """;

    private static V1ContainerStatus? StatusOf(SimulatedCluster cluster) =>
        cluster.List<V1Pod>("default").SingleOrDefault()?.Status?.ContainerStatuses?.SingleOrDefault();

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Runs_registered_in_process_containers_with_env_log_and_readiness()
    {
        // Given a runtime serving lab/echo:* whose container logs its env and becomes ready when told
        var cluster = SimFixtures.NewCluster(nodes: 1);
        var runtime = new InProcessContainerRuntime();
        var gate = new TaskCompletionSource();
        runtime.Register("lab/echo:*", async (ctx, stop) =>
        {
            ctx.Log.Write($"GREETING={ctx.Env("GREETING")} pod={ctx.Pod.Metadata.Name} ip={ctx.PodAddress} node={ctx.NodeName}");
            await gate.Task.WaitAsync(stop);
            ctx.Readiness.Set(true);
            await Task.Delay(Timeout.Infinite, stop);
            return 0;
        });
        await using var agents = NodeAgents.Start(cluster, new KubeletOptions { Runtimes = [runtime] });

        // When a pod with a readiness probe runs it
        await SimFixtures.ApplyYamlAsync(cluster, Deployment("lab/echo:1", ", readinessProbe: {httpGet: {path: /, port: 80}}"));

        // Then it is Running but not Ready until the component says so
        Assert.True(await cluster.WaitUntilAsync(c => StatusOf(c)?.State.Running is not null, Wait, TestContext.Current.CancellationToken));
        var pod = cluster.List<V1Pod>("default").Single();
        Assert.Equal("Running", pod.Status.Phase);
        Assert.False(StatusOf(cluster)!.Ready);
        gate.SetResult();
        Assert.True(await cluster.WaitUntilAsync(c => c.List<V1Pod>("default").Single().Status.Conditions.Any(x => x.Type == "Ready" && x.Status == "True"), Wait, TestContext.Current.CancellationToken));

        // And its log holds what it wrote; the stand-in environment has literal values only
        var log = agents.LogOf("default", pod.Metadata.Name, "main")!;
        Assert.Equal([$"GREETING=hi pod={pod.Metadata.Name} ip={pod.Status.PodIP} node=lab-node-1"], log.Lines());
        Assert.Contains(cluster.EventsFor("Pod", "default", pod.Metadata.Name), e => e.Reason == "Started" && e.Message == "Started container main");
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Images_without_a_runtime_run_as_idle_stand_ins_that_are_ready_and_fill_endpoints()
    {
        var cluster = SimFixtures.NewCluster(nodes: 1);
        await using var agents = NodeAgents.Start(cluster);

        await SimFixtures.ApplyYamlAsync(cluster, Deployment("nginx:1.27") + """

            ---
            apiVersion: v1
            kind: Service
            metadata: {name: app, namespace: default}
            spec: {selector: {app: app}, ports: [{name: http, port: 80}]}
            """);

        Assert.True(await cluster.WaitUntilAsync(c => c.Get<V1Endpoints>("default", "app")?.Subsets?.SingleOrDefault()?.Addresses?.Count == 1, Wait, TestContext.Current.CancellationToken));
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_crashing_container_restarts_with_upstreams_back_off_10s_doubling_to_5m()
    {
        // Given a container that exits with code 1 right after starting, and a clock the test drives
        var time = new ManualTimeProvider();
        var cluster = SimFixtures.NewCluster(nodes: 1, time: time);
        var runtime = new InProcessContainerRuntime();
        var starts = 0;
        runtime.Register("lab/crash:*", (ctx, _) =>
        {
            ctx.Log.Write($"start {Interlocked.Increment(ref starts)}");
            return Task.FromResult(1);
        });
        await using var agents = NodeAgents.Start(cluster, new KubeletOptions { Runtimes = [runtime] });
        await SimFixtures.ApplyYamlAsync(cluster, Deployment("lab/crash:1"));
        var ct = TestContext.Current.CancellationToken;

        // Then the first restart is immediate, and each later one waits 10, 20, 40, 80, 160, 300, 300 s after the exit
        Assert.True(await cluster.WaitUntilAsync(c => StatusOf(c) is { RestartCount: 1, State.Waiting.Reason: "CrashLoopBackOff" }, Wait, ct));
        Assert.StartsWith("back-off 10s restarting failed container=main pod=app-", StatusOf(cluster)!.State.Waiting.Message, StringComparison.Ordinal);
        Assert.Equal(1, StatusOf(cluster)!.LastState.Terminated.ExitCode);
        var expected = new[] { 10, 20, 40, 80, 160, 300, 300 };
        var lastExit = StatusOf(cluster)!.LastState.Terminated.FinishedAt;
        for (var i = 0; i < expected.Length; i++)
        {
            // The clock moves only once the back-off's restart timer is armed. The status seen last is not proof of it:
            // the worker counts the restart before the new attempt sets its state, so a status written in between
            // pairs the new restart count with the previous CrashLoopBackOff, before the next back-off timer exists.
            var restarts = i + 1;
            var restartAt = time.GetUtcNow() + TimeSpan.FromSeconds(expected[i]);
            Assert.True(await Eventually.WaitAsync(() => Task.FromResult(time.PendingTimersDueBy(restartAt) > 0), Wait, ct), $"no restart timer due by {restartAt}");
            time.Advance(TimeSpan.FromSeconds(expected[i]) - TimeSpan.FromMilliseconds(1));
            Assert.Equal(restarts, StatusOf(cluster)!.RestartCount);
            Assert.Equal("CrashLoopBackOff", StatusOf(cluster)!.State.Waiting?.Reason);

            // (the awaited status reports this restart's exit, not the previous one: see above)
            time.Advance(TimeSpan.FromMilliseconds(1));
            Assert.True(await cluster.WaitUntilAsync(c => StatusOf(c) is { State.Waiting.Reason: "CrashLoopBackOff" } s && s.RestartCount == restarts + 1 && s.LastState.Terminated?.FinishedAt != lastExit, Wait, ct),
                $"restart {restarts + 1} after {expected[i]}s");
            lastExit = StatusOf(cluster)!.LastState.Terminated.FinishedAt;
        }

        Assert.Equal(expected.Length + 2, Volatile.Read(ref starts));
        Assert.Equal(expected.Length + 2, agents.LogOf("default", cluster.List<V1Pod>("default").Single().Metadata.Name, "main")!.Lines().Count);
        Assert.Contains(cluster.EventsFor("Pod", "default", cluster.List<V1Pod>("default").Single().Metadata.Name), e => e.Reason == "BackOff" && e.Count >= expected.Length);
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task An_image_that_cannot_be_pulled_keeps_the_pod_Pending_in_ImagePullBackOff()
    {
        // Given a runtime whose lab/nopull image cannot be pulled
        var time = new ManualTimeProvider();
        var cluster = SimFixtures.NewCluster(nodes: 1, time: time);
        var runtime = new InProcessContainerRuntime();
        var pulls = 0;
        runtime.Register("lab/nopull:*", (ContainerFactory)((_, _) =>
        {
            Interlocked.Increment(ref pulls);
            return Task.FromException<IContainerProcess>(new ImagePullException("not found"));
        }));
        await using var agents = NodeAgents.Start(cluster, new KubeletOptions { Runtimes = [runtime] });
        var ct = TestContext.Current.CancellationToken;

        // When the pod runs the image that cannot be pulled
        await SimFixtures.ApplyYamlAsync(cluster, Deployment("lab/nopull:1"));

        // Then it waits in ImagePullBackOff with no restart and no last termination, and the pod stays Pending
        // (upstream kubelet getPhase: waiting without a last termination → Pending)
        Assert.True(await cluster.WaitUntilAsync(c => StatusOf(c) is { State.Waiting.Reason: "ImagePullBackOff" }, Wait, ct));
        Assert.Equal(0, StatusOf(cluster)!.RestartCount);
        Assert.Null(StatusOf(cluster)!.LastState.Terminated);
        var pod = cluster.List<V1Pod>("default").Single();
        Assert.Equal("Pending", pod.Status.Phase);
        Assert.NotNull(pod.Status.StartTime);

        // and the pull is retried after the 10 s back-off
        var before = Volatile.Read(ref pulls);
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(await cluster.WaitUntilAsync(_ => Volatile.Read(ref pulls) > before, Wait, ct));
        Assert.Equal("Pending", cluster.List<V1Pod>("default").Single().Status.Phase);
    }

    [Fact]
    public void Back_off_resets_after_ten_minutes_without_a_restart()
    {
        var t0 = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var backOff = new RestartBackOff();

        Assert.Equal(t0, backOff.RestartAt(t0, t0));
        Assert.Equal(t0.AddSeconds(11), backOff.RestartAt(t0.AddSeconds(1), t0.AddSeconds(1)));
        Assert.Equal(t0.AddSeconds(32), backOff.RestartAt(t0.AddSeconds(12), t0.AddSeconds(12)));

        // A run of more than 10 minutes (2 × the 5 minute cap) since the last restart: immediate restart, back to 10 s
        var late = t0.AddSeconds(32 + 601);
        Assert.Equal(late, backOff.RestartAt(late, late));
        Assert.Equal(TimeSpan.FromSeconds(10), backOff.Current);
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Deleting_a_pod_stops_its_containers()
    {
        var cluster = SimFixtures.NewCluster(nodes: 1);
        var runtime = new InProcessContainerRuntime();
        var stopped = new TaskCompletionSource();
        runtime.Register("lab/svc:*", async (_, stop) =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, stop);
            }
            finally
            {
                stopped.TrySetResult();
            }

            return 0;
        });
        await using var agents = NodeAgents.Start(cluster, new KubeletOptions { Runtimes = [runtime] });
        await SimFixtures.ApplyYamlAsync(cluster, Deployment("lab/svc:1"));
        Assert.True(await cluster.WaitUntilAsync(c => StatusOf(c)?.State.Running is not null, Wait, TestContext.Current.CancellationToken));

        cluster.Delete("Pod", "default", cluster.List<V1Pod>("default").Single().Metadata.Name);

        await stopped.Task.WaitAsync(Wait, TestContext.Current.CancellationToken);
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_container_whose_runtime_never_finishes_stopping_still_lets_the_kubelet_stop_within_its_bounds()
    {
        // Given a pod whose runtime's stop ignores its token and never ends, and whose disposal never ends either (a
        // runtime bug, which must not hold the kubelet's stop forever)
        var cluster = SimFixtures.NewCluster(nodes: 1);
        var runtime = new InProcessContainerRuntime();
        runtime.Register("lab/stuck:*", (ContainerFactory)((_, _) => Task.FromResult<IContainerProcess>(new NeverEndingProcess())));
        var agents = NodeAgents.Start(cluster, new KubeletOptions { Runtimes = [runtime] });
        await SimFixtures.ApplyYamlAsync(cluster, Deployment("lab/stuck:1"));
        Assert.True(await cluster.WaitUntilAsync(c => StatusOf(c)?.State.Running is not null, Wait, TestContext.Current.CancellationToken));

        // When the kubelets stop, then they have stopped within the stop bound and the release bound (5 s of wall time
        // each) with room for a busy machine: WaitAsync throws past it
        await agents.DisposeAsync().AsTask().WaitAsync(Wait, TestContext.Current.CancellationToken);

        // And the shutdown names the pod that held it, with both bounds spent (less a timer's 0.5 s of slack)
        var pod = cluster.List<V1Pod>("default").Single().Metadata.Name;
        var slowest = Assert.Single(agents.SlowestShutdownStops(3));
        Assert.Equal(("default", pod), (slowest.Namespace, slowest.Name));
        Assert.InRange(slowest.Took.TotalSeconds, 9.5, Wait.TotalSeconds);
    }

    private sealed class NeverEndingProcess : IContainerProcess
    {
        private readonly TaskCompletionSource<int> _never = new();

        public Task<int> Exited => _never.Task;

        public Task StopAsync(CancellationToken cancellationToken) => _never.Task;

        public ValueTask DisposeAsync() => new(_never.Task);
    }

    [Fact]
    public void Container_log_is_a_bounded_ring()
    {
        var log = new ContainerLog(TimeProvider.System, capacity: 3);

        foreach (var i in Enumerable.Range(1, 5))
        {
            log.Write($"line {i}");
        }

        Assert.Equal(["line 3", "line 4", "line 5"], log.Lines());
        Assert.Equal(2, log.Dropped);
        Assert.Equal(["line 5"], log.Tail(1));
    }
}
