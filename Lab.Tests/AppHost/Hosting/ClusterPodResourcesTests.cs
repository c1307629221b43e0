using Aspire.Hosting.ApplicationModel;
using k8s;
using k8s.Models;
using OtelLab.AppHost.Hosting;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.AppHost.Hosting;

/// <summary>The cluster's pods as dashboard resources, from the cluster interface's pod watch (a scripted watch here).</summary>
[Trait("Category", "Unit")]
public sealed class ClusterPodResourcesTests : IDisposable
{
    private readonly ResourceServices _services = new();
    private readonly ScriptedCluster _cluster = new();

    public void Dispose() => _services.Dispose();

    private ClusterPodResources View() => new(_cluster, _services.Notifications, _services.Loggers, parent: "k3s");

    private static V1Pod Pod(string ns, string name, string phase = "Pending", bool ready = false, int restarts = 0, string? waiting = null, string? node = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, ResourceVersion = Guid.NewGuid().ToString("N") },
        Spec = new V1PodSpec { NodeName = node, Containers = [new V1Container { Name = "app", Image = "otel-lab/ledger:1.0.0" }] },
        Status = new V1PodStatus
        {
            Phase = phase,
            PodIP = node is null ? null : "10.42.0.7",
            Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False" }],
            ContainerStatuses =
            [
                new V1ContainerStatus
                {
                    Name = "app", Image = "otel-lab/ledger:1.0.0", ImageID = "", Ready = ready, RestartCount = restarts,
                    State = waiting is null ? new V1ContainerState { Running = new V1ContainerStateRunning() } : new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = waiting } },
                },
            ],
        },
    };

    [Fact]
    public async Task A_created_pod_shows_up_under_its_parent_then_follows_its_phase_readiness_and_node()
    {
        var view = View();

        await view.ApplyAsync(new(WatchEventType.Added, Pod("payments", "ledger-7d9f-abcde")));
        var pending = _services.Snapshot("ledger-7d9f-abcde");
        await view.ApplyAsync(new(WatchEventType.Modified, Pod("payments", "ledger-7d9f-abcde", "Running", ready: true, node: "k3s-server")));
        var running = _services.Snapshot("ledger-7d9f-abcde");

        Assert.Equal("Pod", pending.ResourceType);
        Assert.Equal("k3s", ResourceServices.Property(pending, "resource.parentName"));
        Assert.Equal(("Pending", KnownResourceStateStyles.Info), (pending.State?.Text, pending.State?.Style));
        Assert.Equal("-", ResourceServices.Property(pending, "pod.node"));
        Assert.Equal((KnownResourceStates.Running, KnownResourceStateStyles.Success), (running.State?.Text, running.State?.Style));
        Assert.Equal("k3s-server", ResourceServices.Property(running, "pod.node"));
        Assert.Equal("1/1", ResourceServices.Property(running, "pod.ready"));
        Assert.Equal("k3s", ResourceServices.Property(running, "resource.parentName")); // kept across updates
    }

    [Fact]
    public async Task A_restarting_pod_updates_its_restarts_and_a_crash_loop_turns_the_state_to_an_error()
    {
        var view = View();
        await view.ApplyAsync(new(WatchEventType.Added, Pod("payments", "gateway-0", "Running", ready: true, node: "n1")));

        await view.ApplyAsync(new(WatchEventType.Modified, Pod("payments", "gateway-0", "Running", restarts: 1, waiting: "CrashLoopBackOff", node: "n1")));
        var first = _services.Snapshot("gateway-0");
        await view.ApplyAsync(new(WatchEventType.Modified, Pod("payments", "gateway-0", "Running", restarts: 4, waiting: "CrashLoopBackOff", node: "n1")));
        var settled = _services.Snapshot("gateway-0");

        Assert.Equal("1", ResourceServices.Property(first, "pod.restarts"));
        Assert.Equal(("CrashLoopBackOff", KnownResourceStateStyles.Info), (first.State?.Text, first.State?.Style)); // may still come up
        Assert.Equal("4", ResourceServices.Property(settled, "pod.restarts"));
        Assert.Equal(("CrashLoopBackOff", KnownResourceStateStyles.Error), (settled.State?.Text, settled.State?.Style));
    }

    [Fact]
    public async Task A_deleted_pod_goes_and_a_same_named_pod_of_another_namespace_gets_its_own_resource()
    {
        var view = View();
        await view.ApplyAsync(new(WatchEventType.Added, Pod("a", "web")));
        await view.ApplyAsync(new(WatchEventType.Added, Pod("b", "web")));
        var names = view.Shown;

        await view.ApplyAsync(new(WatchEventType.Deleted, Pod("a", "web")));

        Assert.Equal("web", names["a/web"]);
        Assert.Equal("web-b", names["b/web"]);
        var gone = _services.Snapshot("web");
        Assert.Equal("Deleted", gone.State?.Text);
        Assert.True(gone.IsHidden);
        Assert.Equal(["b/web"], view.Shown.Keys);
    }

    [Theory]
    [InlineData("coredns-7b98449c4-x2kq9", "coredns-7b98449c4-x2kq9")]
    [InlineData("svclb.traefik--0", "svclb-traefik-0")]
    [InlineData("0-first", "pod-0-first")]
    public void Pod_names_become_valid_resource_names(string pod, string resource) =>
        Assert.Equal(resource, ClusterPodResources.ResourceName(pod));

    [Fact]
    public async Task The_logs_command_reads_each_containers_log_through_the_cluster_into_the_console()
    {
        var view = View();
        var pod = Pod("payments", "ledger-1", "Running", ready: true, node: "n1");
        _cluster.Pods.Add(pod);
        _cluster.Logs["ledger-1/app"] = "listening on :8080\nPOST /ledger 200\n";
        await view.ApplyAsync(new(WatchEventType.Added, pod));
        var resource = Assert.Single(_services.Notifications.TryGetCurrentState("ledger-1", out var e) ? [e.Resource] : Array.Empty<IResource>());
        var command = Assert.Single(resource.Annotations.OfType<ResourceCommandAnnotation>(), c => c.Name == ClusterPodResources.LogsCommand);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        var lines = new List<string>();
        var reading = Task.Run(async () =>
        {
            await foreach (var batch in _services.Loggers.WatchAsync("ledger-1").WithCancellation(timeout.Token))
            {
                lines.AddRange(batch.Select(l => l.Content));
                if (lines.Count >= 2)
                {
                    return;
                }
            }
        }, timeout.Token);

        var result = await command.ExecuteCommand(new ExecuteCommandContext { ResourceName = "ledger-1", Services = _services.Provider, Logger = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, Arguments = default!, CancellationToken = timeout.Token });
        await reading;

        Assert.True(result.Success, result.Message);
        Assert.Equal(["[app] listening on :8080", "[app] POST /ledger 200"], lines.Select(l => l[(l.IndexOf('[', StringComparison.Ordinal))..]));
        Assert.Equal([("payments", "ledger-1", "app", ClusterPodResources.LogTail)], _cluster.LogRequests);
    }

    [Fact]
    public async Task RunAsync_follows_the_clusters_watch_until_cancelled()
    {
        var view = View();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var running = view.RunAsync(stop.Token);

        await _cluster.Events.Writer.WriteAsync(new(WatchEventType.Added, Pod("kube-system", "coredns-1", "Running", ready: true, node: "n1")), stop.Token);
        await _services.Notifications.WaitForResourceAsync("coredns-1", e => e.Snapshot.State?.Text == KnownResourceStates.Running, stop.Token).WaitAsync(TimeSpan.FromSeconds(10), stop.Token);
        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.True(running.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_failed_watch_is_said_on_the_parents_console_and_started_over()
    {
        var time = new ManualTimeProvider();
        _cluster.FailNextWatch = new HttpRequestException("connection refused (127.0.0.1:6443)");
        var view = new ClusterPodResources(_cluster, _services.Notifications, _services.Loggers, parent: "k3s", time);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var lines = new List<string>();
        var reading = Task.Run(async () =>
        {
            await foreach (var batch in _services.Loggers.WatchAsync("k3s").WithCancellation(stop.Token))
            {
                lines.AddRange(batch.Select(l => l.Content));
                return;
            }
        }, stop.Token);
        var running = view.RunAsync(stop.Token);

        await reading.WaitAsync(TimeSpan.FromSeconds(10), stop.Token);
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(time.PendingTimers > 0), TimeSpan.FromSeconds(10), stop.Token), "the retry's delay was never armed");
        time.Advance(TimeSpan.FromSeconds(2));
        await _cluster.Events.Writer.WriteAsync(new(WatchEventType.Added, Pod("payments", "ledger-1", "Running", ready: true, node: "n1")), stop.Token);
        await _services.Notifications.WaitForResourceAsync("ledger-1", e => e.Snapshot.State?.Text == KnownResourceStates.Running, stop.Token).WaitAsync(TimeSpan.FromSeconds(10), stop.Token);
        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.Contains("pod watch failed (HttpRequestException: connection refused (127.0.0.1:6443)); watching again in 2 s", Assert.Single(lines), StringComparison.Ordinal);
        Assert.Equal(2, _cluster.Watches);
    }
}
