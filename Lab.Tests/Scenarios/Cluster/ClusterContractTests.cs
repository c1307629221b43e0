using System.Globalization;
using Aspire.Hosting.ApplicationModel;
using OtelLab.AppHost.Hosting;
using OtelLab.Scenarios.Cluster;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Scenarios.Cluster;

/// <summary>
/// What the scenario layer relies on from any cluster behind <see cref="ICluster"/>: apply, rollout, scale, a deleted
/// pod replaced, logs, exec with exit codes, port-forward. Each substrate (the sim's API server, k3s) subclasses it
/// with its cluster and a workload image it runs (a shell in the image, HTTP on a port).
/// </summary>
public abstract class ClusterContractTests
{
    private static readonly TimeSpan Rollout = TimeSpan.FromMinutes(2);

    protected abstract ICluster Cluster { get; }

    /// <summary>An image with <c>sh</c> that serves HTTP 200 on <see cref="WorkloadHealthPath"/> at <see cref="WorkloadPort"/>.</summary>
    protected abstract string WorkloadImage { get; }

    protected virtual int WorkloadPort => 8080;

    protected virtual string WorkloadHealthPath => "/health";

    [Fact]
    public async Task Apply_creates_the_objects_rolls_out_and_applying_again_succeeds()
    {
        var ct = TestContext.Current.CancellationToken;
        var ns = NewNamespace();
        try
        {
            var first = await Cluster.ApplyAsync(Manifests(ns, replicas: 1), ct);
            await Cluster.WaitForRolloutAsync(ns, "contract", Rollout, ct);
            var second = await Cluster.ApplyAsync(Manifests(ns, replicas: 1), ct);

            Assert.Equal(["namespace/" + ns, "deployment.apps/contract", "service/contract"], first.Select(l => l[..l.LastIndexOf(' ')]));
            Assert.All(first, l => Assert.Matches(" (created|serverside-applied)$", l));
            Assert.All(second, l => Assert.Matches(" (replaced|serverside-applied)$", l));
            var pod = Assert.Single(await Cluster.PodsAsync(ns, "app=contract", ct));
            Assert.Equal("Running", pod.Status.Phase);
        }
        finally
        {
            await Cluster.DeleteNamespaceAsync(ns, ct);
        }
    }

    [Fact]
    public async Task Scale_to_two_runs_two_pods_and_a_deleted_pod_is_replaced()
    {
        var ct = TestContext.Current.CancellationToken;
        var ns = NewNamespace();
        try
        {
            await Cluster.ApplyAsync(Manifests(ns, replicas: 1), ct);
            await Cluster.WaitForRolloutAsync(ns, "contract", Rollout, ct);

            await Cluster.ScaleAsync(ns, "contract", 2, ct);
            await Cluster.WaitForRolloutAsync(ns, "contract", Rollout, ct);
            var two = await RunningPodsAsync(ns, 2, ct);

            await Cluster.DeletePodAsync(ns, two[0], ct);
            var after = await RunningPodsAsync(ns, 2, ct, without: two[0]);

            Assert.Contains(two[1], after);
            Assert.DoesNotContain(two[0], after);
        }
        finally
        {
            await Cluster.DeleteNamespaceAsync(ns, ct);
        }
    }

    [Fact]
    public async Task Logs_exec_and_port_forward_reach_the_running_container()
    {
        var ct = TestContext.Current.CancellationToken;
        var ns = NewNamespace();
        try
        {
            await Cluster.ApplyAsync(Manifests(ns, replicas: 1), ct);
            await Cluster.WaitForRolloutAsync(ns, "contract", Rollout, ct);
            var pod = (await RunningPodsAsync(ns, 1, ct))[0];

            var logs = await Step("logs", Cluster.LogsAsync(ns, pod, "app", tailLines: 10, ct));
            var ok = await Step("exec echo", Cluster.ExecAsync(ns, pod, "app", ["sh", "-c", "echo contract"], ct));
            var failed = await Step("exec exit 3", Cluster.ExecAsync(ns, pod, "app", ["sh", "-c", "echo oops >&2; exit 3"], ct));
            await using var forward = await Step("port-forward", Cluster.PortForwardAsync(ns, pod, WorkloadPort, ct));
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            using var health = await Step("GET through the port-forward", http.GetAsync($"http://{forward.LocalEndpoint}{WorkloadHealthPath}", ct));

            Assert.True(logs.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length <= 10, logs);
            Assert.Equal(new ExecResult(0, "contract\n", string.Empty), ok);
            Assert.Equal(new ExecResult(3, string.Empty, "oops\n"), failed);
            Assert.True(health.IsSuccessStatusCode, $"{(int)health.StatusCode} from {WorkloadHealthPath} through the port-forward");
        }
        finally
        {
            await Cluster.DeleteNamespaceAsync(ns, ct);
        }
    }

    [Fact]
    public async Task Its_pods_show_as_dashboard_resources_that_come_and_go_through_the_pod_watch()
    {
        var ct = TestContext.Current.CancellationToken;
        var ns = NewNamespace();
        using var services = new ResourceServices();
        var view = new ClusterPodResources(Cluster, services.Notifications, services.Loggers);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var watching = view.RunAsync(stop.Token);
        try
        {
            // Given a pod created through the API
            await Cluster.ApplyAsync(Manifests(ns, replicas: 1), ct);
            await Cluster.WaitForRolloutAsync(ns, "contract", Rollout, ct);
            var pod = (await RunningPodsAsync(ns, 1, ct))[0];

            // Then it shows up Running, on its node, in its namespace
            var shown = await Step($"resource {pod} Running", services.Notifications.WaitForResourceAsync(ClusterPodResources.ResourceName(pod),
                e => e.Snapshot.State?.Text == KnownResourceStates.Running, ct));
            Assert.Equal(ns, ResourceServices.Property(shown.Snapshot, "pod.namespace"));
            Assert.NotEqual("-", ResourceServices.Property(shown.Snapshot, "pod.node"));
            Assert.Equal("0", ResourceServices.Property(shown.Snapshot, "pod.restarts"));

            // When it is deleted, it goes, and its replacement shows up
            await Cluster.DeletePodAsync(ns, pod, ct);
            var gone = await Step($"resource {pod} Deleted", services.Notifications.WaitForResourceAsync(ClusterPodResources.ResourceName(pod),
                e => e.Snapshot.State?.Text == "Deleted", ct));
            var replacement = (await RunningPodsAsync(ns, 1, ct, without: pod))[0];
            await Step($"resource {replacement} Running", services.Notifications.WaitForResourceAsync(ClusterPodResources.ResourceName(replacement),
                e => e.Snapshot.State?.Text == KnownResourceStates.Running, ct));

            Assert.True(gone.Snapshot.IsHidden);
            Assert.DoesNotContain($"{ns}/{pod}", view.Shown.Keys);
            Assert.Contains($"{ns}/{replacement}", view.Shown.Keys);
        }
        finally
        {
            await stop.CancelAsync();
            await watching;
            await Cluster.DeleteNamespaceAsync(ns, ct);
        }
    }

    // A step that hangs fails the test by name instead of holding the run until its overall timeout.
    private static async Task<T> Step<T>(string name, Task<T> step)
    {
        try
        {
            return await step.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"{name} did not complete within 60 s");
            throw;
        }
    }

    private async Task<List<string>> RunningPodsAsync(string ns, int count, CancellationToken ct, string? without = null)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(Rollout);
        var seen = string.Empty;
        try
        {
            while (true)
            {
                var pods = await Cluster.PodsAsync(ns, "app=contract", deadline.Token);
                var running = pods.Where(p => p.Status?.Phase == "Running" && p.Metadata.DeletionTimestamp is null && p.Metadata.Name != without)
                    .Select(p => p.Metadata.Name).Order(StringComparer.Ordinal).ToList();
                if (running.Count == count && pods.Count(p => p.Metadata.Name != without) == count)
                {
                    return running;
                }

                seen = string.Join(", ", pods.Select(p => $"{p.Metadata.Name}={p.Status?.Phase}"));

                // Polled: the contract has no watch of its own for pods, and a second is far below the rollout bound.
                await Task.Delay(TimeSpan.FromMilliseconds(250), deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            Assert.Fail($"{count} running pods expected within {Rollout}; last seen: {seen}");
            throw;
        }
    }

    private static string NewNamespace() => "contract-" + Guid.NewGuid().ToString("N")[..8];

    private string Manifests(string ns, int replicas) => $"""
        apiVersion: v1
        kind: Namespace
        metadata:
          name: {ns}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: contract
          namespace: {ns}
          labels:
            app: contract
        spec:
          replicas: {replicas.ToString(CultureInfo.InvariantCulture)}
          selector:
            matchLabels:
              app: contract
          template:
            metadata:
              labels:
                app: contract
            spec:
              containers:
                - name: app
                  image: {WorkloadImage}
                  ports:
                    - name: http
                      containerPort: {WorkloadPort.ToString(CultureInfo.InvariantCulture)}
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: contract
          namespace: {ns}
        spec:
          selector:
            app: contract
          ports:
            - name: http
              port: 80
              targetPort: {WorkloadPort.ToString(CultureInfo.InvariantCulture)}
        """;
}
