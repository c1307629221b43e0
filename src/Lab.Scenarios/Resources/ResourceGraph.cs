using OtelLab.Sim.Kubelet;

namespace OtelLab.Scenarios.Resources;

/// <summary>
/// Runs a graph of <see cref="LabResource"/>s like Aspire's AppHost: every resource starts as soon as the resources
/// it waits for are healthy (independent ones in parallel); a failed resource blocks its dependents, with the reason;
/// disposing stops what started in reverse order. States, events and per-resource logs are kept for the views.
/// </summary>
public sealed class ResourceGraph : IAsyncDisposable
{
    private readonly List<LabResource> _resources = [];
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly List<ResourceEvent> _events = [];
    private readonly List<(string Name, IAsyncDisposable Handle)> _started = [];
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly TaskCompletionSource<bool> _settled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _startTimestamp;
    private bool _disposed;

    public ResourceGraph(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Raised after every state change (on the thread that made it).</summary>
    public event Action<ResourceEvent>? Changed;

    public IReadOnlyList<LabResource> Resources => _resources;

    /// <summary>From <see cref="StartAsync"/> until every resource was Running; null while starting or when one failed.</summary>
    public TimeSpan? StartupTime { get; private set; }

    /// <summary>
    /// Completes once every resource is Running (true) or the start-up is over with some Failed or Blocked (false),
    /// whoever orchestrates the start.
    /// </summary>
    public Task<bool> Settled => _settled.Task;

    /// <summary>Time since <see cref="StartAsync"/> began (zero before): milestones after start-up are measured on it.</summary>
    public TimeSpan Elapsed => _startTimestamp == 0 ? TimeSpan.Zero : _time.GetElapsedTime(_startTimestamp);

    public LabResource Add(LabResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        lock (_gate)
        {
            if (!_entries.TryAdd(resource.Name, new Entry(resource, new ContainerLog(_time))))
            {
                throw new InvalidOperationException($"a resource named '{resource.Name}' is already in the graph");
            }

            _resources.Add(resource);
        }

        return resource;
    }

    public IReadOnlyList<ResourceSnapshot> Snapshots()
    {
        lock (_gate)
        {
            return _resources.Select(r => _entries[r.Name].Snapshot()).ToList();
        }
    }

    public ResourceSnapshot? Snapshot(string name)
    {
        lock (_gate)
        {
            return _entries.TryGetValue(name, out var e) ? e.Snapshot() : null;
        }
    }

    public IReadOnlyList<ResourceEvent> Events()
    {
        lock (_gate)
        {
            return [.. _events];
        }
    }

    /// <summary>The lines a resource wrote through its <see cref="ResourceContext.Log"/>, or null for an unknown name.</summary>
    public ContainerLog? LogOf(string name)
    {
        lock (_gate)
        {
            return _entries.TryGetValue(name, out var e) ? e.Log : null;
        }
    }

    /// <summary>Starts every resource in dependency order; true when all are Running.</summary>
    public async Task<bool> StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        MarkStarted();
        var tasks = new Dictionary<string, Task<bool>>(StringComparer.Ordinal);
        foreach (var r in _resources)
        {
            tasks[r.Name] = Task.CompletedTask.ContinueWith(_ => RunAsync(r, tasks, cancellationToken), CancellationToken.None,
                TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
        }

        var results = await Task.WhenAll(tasks.Values).ConfigureAwait(false);
        return results.All(x => x);
    }

    /// <summary>
    /// Starts one resource whose dependencies another orchestrator (the Aspire AppHost) has already seen healthy: its
    /// start, then its health check; what it returns is stopped at <see cref="DisposeAsync"/> in reverse start order.
    /// True when it is Running. Never throws for a failing start (the state says why).
    /// </summary>
    public Task<bool> StartResourceAsync(LabResource resource, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ObjectDisposedException.ThrowIf(_disposed, this);
        MarkStarted();
        return StartOneAsync(resource, cancellationToken);
    }

    /// <summary>Records that a dependency failed, for a resource another orchestrator will not start.</summary>
    public void MarkBlocked(LabResource resource, string reason)
    {
        ArgumentNullException.ThrowIfNull(resource);
        Set(resource.Name, ResourceState.Blocked, reason);
    }

    private void MarkStarted()
    {
        // The first start marks the beginning of the start-up, whoever orchestrates.
        Interlocked.CompareExchange(ref _startTimestamp, _time.GetTimestamp(), 0);
    }

    /// <summary>Stops what started, last started first; never throws (a failing stop is logged to the resource).</summary>
    public async ValueTask DisposeAsync()
    {
        List<(string Name, IAsyncDisposable Handle)> started;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            // Stopped before it settled (Ctrl+C during start-up): waiters learn it did not come up.
            _settled.TrySetResult(false);
            started = [.. _started];
            _started.Clear();
        }

        for (var i = started.Count - 1; i >= 0; i--)
        {
            var (name, handle) = started[i];
            Set(name, ResourceState.Stopping, null);
            try
            {
                await handle.DisposeAsync().ConfigureAwait(false);
                Set(name, ResourceState.Stopped, null);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                _entries[name].Log.Write($"stop failed: {e.GetType().Name}: {e.Message}");
                Set(name, ResourceState.Stopped, $"stop failed: {e.Message}");
            }
        }

        // Resources with nothing to dispose (the cluster's in-memory state, applied manifests) stop with the rest.
        foreach (var r in Enumerable.Reverse(_resources))
        {
            if (Snapshot(r.Name)?.State is ResourceState.Running or ResourceState.Starting or ResourceState.Waiting)
            {
                Set(r.Name, ResourceState.Stopped, null);
            }
        }
    }

    private async Task<bool> RunAsync(LabResource resource, Dictionary<string, Task<bool>> tasks, CancellationToken cancellationToken)
    {
        var entry = _entries[resource.Name];
        if (resource.WaitsFor.Count > 0)
        {
            Set(resource.Name, ResourceState.Waiting, "waiting for " + string.Join(", ", resource.WaitsFor.Select(d => d.Name)));
            foreach (var dependency in resource.WaitsFor)
            {
                if (!await tasks[dependency.Name].ConfigureAwait(false))
                {
                    var why = Snapshot(dependency.Name);
                    Set(resource.Name, ResourceState.Blocked, $"waits for {dependency.Name}, which is {why?.State.ToString().ToLowerInvariant()}: {why?.Reason}");
                    return false;
                }
            }
        }

        return await StartOneAsync(resource, cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> StartOneAsync(LabResource resource, CancellationToken cancellationToken)
    {
        var entry = _entries[resource.Name];
        var context = new ResourceContext { Name = resource.Name, Log = entry.Log, Time = _time };
        var began = _time.GetTimestamp();
        Set(resource.Name, ResourceState.Starting, null);
        try
        {
            var handle = await resource.Start(context, cancellationToken).ConfigureAwait(false);
            if (handle is not null)
            {
                lock (_gate)
                {
                    _started.Add((resource.Name, handle));
                }
            }

            if (resource.HealthCheck is { } check)
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(resource.HealthTimeout);
                HealthCheckResult health;
                try
                {
                    health = await check(context, timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    health = HealthCheckResult.Unhealthy($"not healthy after {resource.HealthTimeout.TotalSeconds:0.#} s");
                }

                if (!health.Healthy)
                {
                    entry.Log.Write("unhealthy: " + health.Reason);
                    Set(resource.Name, ResourceState.Failed, "unhealthy: " + health.Reason);
                    return false;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Set(resource.Name, ResourceState.Failed, "start cancelled");
            return false;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A start failure is a state with its reason (and the lab goes on to block dependents), never a crash.
            entry.Log.Write($"start failed: {e.GetType().Name}: {e.Message}");
            Set(resource.Name, ResourceState.Failed, e.Message);
            return false;
        }

        entry.ReadyAfter = _time.GetElapsedTime(began);
        Set(resource.Name, ResourceState.Running, null);
        return true;
    }

    private void Set(string name, ResourceState state, string? reason)
    {
        ResourceEvent e;
        lock (_gate)
        {
            var entry = _entries[name];
            entry.State = state;
            entry.Reason = reason;
            e = new ResourceEvent(_time.GetUtcNow(), name, state, reason);
            _events.Add(e);
            entry.Log.Write(reason is null ? $"state: {state}" : $"state: {state} ({reason})");
            if (state is ResourceState.Running or ResourceState.Failed or ResourceState.Blocked
                && _entries.Values.All(x => x.State is ResourceState.Running or ResourceState.Failed or ResourceState.Blocked))
            {
                // The start-up time is known before anyone waiting on Settled reads it.
                var allRunning = _entries.Values.All(x => x.State == ResourceState.Running);
                if (allRunning && StartupTime is null)
                {
                    StartupTime = _time.GetElapsedTime(_startTimestamp);
                }

                _settled.TrySetResult(allRunning);
            }
        }

        Changed?.Invoke(e);
    }

    private sealed class Entry(LabResource resource, ContainerLog log)
    {
        public LabResource Resource { get; } = resource;

        public ContainerLog Log { get; } = log;

        public ResourceState State { get; set; }

        public string? Reason { get; set; }

        public TimeSpan? ReadyAfter { get; set; }

        public ResourceSnapshot Snapshot() =>
            new(Resource.Name, Resource.Kind, State, Reason, Resource.WaitsFor.Select(d => d.Name).ToList(), ReadyAfter);
    }
}
