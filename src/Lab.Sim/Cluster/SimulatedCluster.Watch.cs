using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace OtelLab.Sim.Cluster;

/// <summary>Change propagation: the controller loop, watch streams and waiting for a condition.</summary>
public sealed partial class SimulatedCluster
{
    private const int MaxBatchesPerChange = 10_000;

    private readonly List<(HashSet<string>? Kinds, ChannelWriter<WatchEvent> Writer)> _watchers = [];
    private readonly List<string> _lastWarnings = [];
    private readonly Dictionary<string, long> _controllerTicks = new(StringComparer.Ordinal);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Raised synchronously (under the cluster's lock) after each batch of changes, before controllers run on it.
    /// Handlers must be quick and must not block on other threads that use the cluster.
    /// </summary>
    public event Action<IReadOnlyList<WatchEvent>>? Changed;

    /// <summary>
    /// A watch over the given kinds (all when null). With <paramref name="sendInitialEvents"/> the stream starts with
    /// an Added event per existing object, as an informer's list-then-watch does.
    /// </summary>
    public async IAsyncEnumerable<WatchEvent> WatchAsync(
        IReadOnlyCollection<string>? kinds = null,
        bool sendInitialEvents = false,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var channel = Channel.CreateUnbounded<WatchEvent>(new UnboundedChannelOptions { SingleReader = true });
        var filter = kinds is null ? null : new HashSet<string>(kinds, StringComparer.Ordinal);
        var entry = (filter, channel.Writer);
        lock (_gate)
        {
            if (sendInitialEvents)
            {
                foreach (var kind in ResourceKind.All.Where(k => filter is null || filter.Contains(k.Kind)))
                {
                    foreach (var o in Store.List(kind).OrderBy(o => o.Namespace, StringComparer.Ordinal).ThenBy(o => o.Name, StringComparer.Ordinal))
                    {
                        channel.Writer.TryWrite(new WatchEvent(WatchEventType.Added, kind, o.Namespace, o.Name, o.Value));
                    }
                }
            }

            _watchers.Add(entry);
        }

        try
        {
            await foreach (var e in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return e;
            }
        }
        finally
        {
            lock (_gate)
            {
                _watchers.Remove(entry);
            }
        }
    }

    /// <summary>
    /// Waits until <paramref name="condition"/> holds, re-checking after every change. The timeout is wall-clock
    /// time (a guard for tests and callers), independent of the cluster's <see cref="Time"/>.
    /// </summary>
    public async Task<bool> WaitUntilAsync(Func<SimulatedCluster, bool> condition, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = TimeProvider.System.GetTimestamp() + (long)(timeout.TotalSeconds * TimeProvider.System.TimestampFrequency);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (condition(this))
                {
                    return true;
                }

                changed = _changed.Task;
            }

            var left = TimeProvider.System.GetElapsedTime(TimeProvider.System.GetTimestamp(), deadline);
            if (left <= TimeSpan.Zero)
            {
                return false;
            }

            try
            {
                await changed.WaitAsync(left, TimeProvider.System, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                lock (_gate)
                {
                    return condition(this);
                }
            }
        }
    }

    /// <summary>Wall time spent in each controller so far (the cost of emulating the control plane).</summary>
    public IReadOnlyDictionary<string, TimeSpan> ControllerTime
    {
        get
        {
            lock (_gate)
            {
                return _controllerTicks.ToDictionary(kv => kv.Key, kv => TimeSpan.FromSeconds(kv.Value / (double)TimeProvider.System.TimestampFrequency), StringComparer.Ordinal);
            }
        }
    }

    /// <summary>Warnings returned by admission webhooks during the last top-level call (kubectl prints them).</summary>
    internal IReadOnlyList<string> TakeWarnings()
    {
        lock (_gate)
        {
            var copy = _lastWarnings.ToList();
            _lastWarnings.Clear();
            return copy;
        }
    }

    private void Drain()
    {
        if (_draining)
        {
            return;
        }

        _draining = true;
        try
        {
            var batches = 0;
            while (_pending.Count > 0)
            {
                if (++batches > MaxBatchesPerChange)
                {
                    _controllerErrors.Add($"controllers did not settle after {MaxBatchesPerChange} batches; last batch: {string.Join("; ", _pending.Take(5))}");
                    _pending.Clear();
                    break;
                }

                var batch = _pending.ToArray();
                _pending.Clear();
                Publish(batch);
                foreach (var controller in _controllers)
                {
                    var started = TimeProvider.System.GetTimestamp();
                    try
                    {
                        controller.Reconcile(this, batch);
                    }
                    catch (Exception e) when (e is not OutOfMemoryException)
                    {
                        _controllerErrors.Add($"{controller.Name}: {e}");
                    }
                    finally
                    {
                        _controllerTicks[controller.Name] = _controllerTicks.GetValueOrDefault(controller.Name) + (TimeProvider.System.GetTimestamp() - started);
                    }
                }
            }
        }
        finally
        {
            _draining = false;
            var signal = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            signal.TrySetResult();
        }
    }

    private void Publish(WatchEvent[] batch)
    {
        foreach (var (kinds, writer) in _watchers)
        {
            foreach (var e in batch)
            {
                if (kinds is null || kinds.Contains(e.Kind.Kind))
                {
                    writer.TryWrite(e);
                }
            }
        }

        try
        {
            Changed?.Invoke(batch);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _controllerErrors.Add($"Changed handler: {e.GetType().Name}: {e.Message}");
        }
    }
}
