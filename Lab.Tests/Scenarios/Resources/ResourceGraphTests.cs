using OtelLab.Scenarios.Resources;

namespace OtelLab.Tests.Scenarios.Resources;

[Trait("Category", "Unit")]
public sealed class ResourceGraphTests
{
    private static LabResource Resource(string name, List<string> log, Func<Task>? start = null, Exception? fail = null) => new()
    {
        Name = name,
        Kind = "test",
        Start = async (_, _) =>
        {
            lock (log)
            {
                log.Add("start " + name);
            }

            if (start is not null)
            {
                await start();
            }

            return fail is not null ? throw fail : new Handle(name, log);
        },
    };

    [Fact]
    public async Task A_resource_starts_only_once_what_it_waits_for_is_healthy()
    {
        // Given b waits for a, whose health check holds until the test releases it
        var log = new List<string>();
        var release = new TaskCompletionSource<HealthCheckResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var graph = new ResourceGraph();
        var a = graph.Add(Resource("a", log)).WithHealthCheck((_, ct) => release.Task.WaitAsync(ct));
        var b = graph.Add(Resource("b", log)).WaitFor(a);
        var c = graph.Add(Resource("c", log)).WaitFor(b);
        // (all resources start concurrently, so wait until both a is starting and b has reached its wait — a's
        // Starting alone can be seen before b leaves NotStarted)
        var aStarting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var bWaiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        graph.Changed += e =>
        {
            if (e.Resource == "a" && e.State == ResourceState.Starting)
            {
                aStarting.TrySetResult();
            }

            if (e.Resource == "b" && e.State == ResourceState.Waiting)
            {
                bWaiting.TrySetResult();
            }
        };

        // When the graph starts and a is still unhealthy
        var run = graph.StartAsync(TestContext.Current.CancellationToken);
        await Task.WhenAll(aStarting.Task, bWaiting.Task).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        // Then b and c wait, naming what they wait for
        Assert.Equal(ResourceState.Waiting, graph.Snapshot("b")!.State);
        Assert.Equal("waiting for a", graph.Snapshot("b")!.Reason);
        Assert.DoesNotContain("start b", log);

        // And once a is healthy, b then c start, in that order, and all run
        release.SetResult(HealthCheckResult.Ok);
        Assert.True(await run);
        Assert.Equal(["start a", "start b", "start c"], log);
        Assert.All(graph.Snapshots(), s => Assert.Equal(ResourceState.Running, s.State));
        Assert.NotNull(graph.StartupTime);
    }

    [Fact]
    public async Task A_failing_dependency_blocks_its_dependents_with_the_reason()
    {
        // Given b waits for a, which fails to start, and c waits for b; d is independent
        var log = new List<string>();
        await using var graph = new ResourceGraph();
        var a = graph.Add(Resource("a", log, fail: new InvalidOperationException("cannot bind 127.1.0.1")));
        var b = graph.Add(Resource("b", log)).WaitFor(a);
        graph.Add(Resource("c", log)).WaitFor(b);
        graph.Add(Resource("d", log));

        // When the graph starts
        var ok = await graph.StartAsync(TestContext.Current.CancellationToken);

        // Then a failed with its message, b and c never started and say why, d runs anyway
        Assert.False(ok);
        Assert.Null(graph.StartupTime);
        Assert.Equal((ResourceState.Failed, "cannot bind 127.1.0.1"), (graph.Snapshot("a")!.State, graph.Snapshot("a")!.Reason));
        Assert.Equal(ResourceState.Blocked, graph.Snapshot("b")!.State);
        Assert.Equal("waits for a, which is failed: cannot bind 127.1.0.1", graph.Snapshot("b")!.Reason);
        Assert.Equal(ResourceState.Blocked, graph.Snapshot("c")!.State);
        Assert.StartsWith("waits for b, which is blocked: waits for a", graph.Snapshot("c")!.Reason, StringComparison.Ordinal);
        Assert.Equal(ResourceState.Running, graph.Snapshot("d")!.State);
        Assert.DoesNotContain("start b", log);
        Assert.DoesNotContain("start c", log);
        Assert.Contains(graph.LogOf("a")!.Lines(), l => l.Contains("start failed: InvalidOperationException: cannot bind 127.1.0.1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unhealthy_resource_fails_with_its_health_reason_after_its_timeout()
    {
        // Given a resource whose health check never succeeds within 200 ms
        await using var graph = new ResourceGraph();
        var a = graph.Add(Resource("a", [])).WithHealthCheck(async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return HealthCheckResult.Ok;
        }, TimeSpan.FromMilliseconds(200));
        graph.Add(Resource("b", [])).WaitFor(a);

        // When the graph starts
        Assert.False(await graph.StartAsync(TestContext.Current.CancellationToken));

        // Then a is failed as unhealthy and b is blocked by it
        Assert.Equal("unhealthy: not healthy after 0.2 s", graph.Snapshot("a")!.Reason);
        Assert.Equal(ResourceState.Blocked, graph.Snapshot("b")!.State);
    }

    [Fact]
    public async Task Disposing_stops_what_started_in_reverse_order()
    {
        // Given a → b → c all running
        var log = new List<string>();
        var graph = new ResourceGraph();
        var a = graph.Add(Resource("a", log));
        var b = graph.Add(Resource("b", log)).WaitFor(a);
        graph.Add(Resource("c", log)).WaitFor(b);
        Assert.True(await graph.StartAsync(TestContext.Current.CancellationToken));

        // When the graph is disposed (twice: idempotent)
        await graph.DisposeAsync();
        await graph.DisposeAsync();

        // Then c stopped first and a last, and every resource reads Stopped
        Assert.Equal(["stop c", "stop b", "stop a"], log.Where(l => l.StartsWith("stop", StringComparison.Ordinal)));
        Assert.All(graph.Snapshots(), s => Assert.Equal(ResourceState.Stopped, s.State));
    }

    [Fact]
    public void A_cycle_is_refused_when_it_is_declared()
    {
        var graph = new ResourceGraph();
        var a = graph.Add(Resource("a", []));
        var b = graph.Add(Resource("b", [])).WaitFor(a);

        var error = Assert.Throws<InvalidOperationException>(() => a.WaitFor(b));

        Assert.Equal("resource 'a' cannot wait for 'b': that would be a cycle", error.Message);
    }

    private sealed class Handle(string name, List<string> log) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            lock (log)
            {
                log.Add("stop " + name);
            }

            return ValueTask.CompletedTask;
        }
    }
}
