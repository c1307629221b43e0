namespace OtelLab.Sim.Operator.Internal;

/// <summary>
/// The controller's work queue of namespace/name keys, with client-go's guarantees: a key is queued at most once
/// however often it is added, a key being reconciled is not handed out again until it is done (an add meanwhile
/// queues it once more for after), and a failed key comes back after the rate limiter's delay.
/// upstream: k8s.io/client-go util/workqueue/queue.go (Add/Get/Done over the dirty and processing sets),
/// delaying_queue.go AddAfter, rate_limiting_queue.go AddRateLimited/Forget.
/// </summary>
internal sealed class ReconcileQueue : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Queue<(string, string)> _queue = new();
    private readonly HashSet<(string, string)> _dirty = [];
    private readonly HashSet<(string, string)> _processing = [];
    private readonly List<ITimer> _delayed = [];
    private readonly SemaphoreSlim _ready = new(0);
    private readonly TimeProvider _time;
    private bool _shutDown;

    public ReconcileQueue(TimeProvider time)
    {
        _time = time;
        RateLimiter = new ControllerRateLimiter(time);
    }

    public ControllerRateLimiter RateLimiter { get; }

    /// <summary>Keys waiting plus keys being reconciled plus delayed retries (0: nothing left to do).</summary>
    public int Pending
    {
        get
        {
            lock (_gate)
            {
                return _dirty.Count + _processing.Count + _delayed.Count;
            }
        }
    }

    public void Add((string, string) key)
    {
        lock (_gate)
        {
            if (_shutDown || !_dirty.Add(key) || _processing.Contains(key))
            {
                return;
            }

            _queue.Enqueue(key);
        }

        _ready.Release();
    }

    /// <summary>Adds <paramref name="key"/> after the rate limiter's delay for it (one more failure counted).</summary>
    public TimeSpan AddRateLimited((string, string) key)
    {
        var delay = RateLimiter.When(key);
        ITimer? timer = null;
        lock (_gate)
        {
            if (_shutDown)
            {
                return delay;
            }

            timer = _time.CreateTimer(
                _ =>
                {
                    lock (_gate)
                    {
                        _delayed.Remove(timer!);
                    }

                    timer!.Dispose();
                    Add(key);
                },
                null,
                Timeout.InfiniteTimeSpan,
                Timeout.InfiniteTimeSpan);
            _delayed.Add(timer);
        }

        // Armed outside the lock, after the field is set: a zero delay fires at once on the thread pool.
        timer.Change(delay, Timeout.InfiniteTimeSpan);
        return delay;
    }

    public void Forget((string, string) key) => RateLimiter.Forget(key);

    /// <summary>The next key to reconcile, now marked as being processed; call <see cref="Done"/> after.</summary>
    public async Task<(string, string)> GetAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await _ready.WaitAsync(cancellationToken).ConfigureAwait(false);
            lock (_gate)
            {
                if (_queue.TryDequeue(out var key))
                {
                    _dirty.Remove(key);
                    _processing.Add(key);
                    return key;
                }
            }
        }
    }

    public void Done((string, string) key)
    {
        var requeued = false;
        lock (_gate)
        {
            _processing.Remove(key);
            if (_dirty.Contains(key) && !_shutDown)
            {
                _queue.Enqueue(key);
                requeued = true;
            }
        }

        if (requeued)
        {
            _ready.Release();
        }
    }

    public void Dispose()
    {
        List<ITimer> timers;
        lock (_gate)
        {
            _shutDown = true;
            timers = [.. _delayed];
            _delayed.Clear();
        }

        foreach (var t in timers)
        {
            t.Dispose();
        }

        _ready.Dispose();
    }
}
