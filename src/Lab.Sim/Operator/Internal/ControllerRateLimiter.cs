namespace OtelLab.Sim.Operator.Internal;

/// <summary>
/// How long a failed key waits before its next reconcile: the larger of a per-key exponential backoff (5 ms doubling
/// per consecutive failure, at most 1000 s) and an overall token bucket (10 per second, burst 100).
/// upstream: k8s.io/client-go util/workqueue/default_rate_limiters.go DefaultControllerRateLimiter (MaxOf
/// ItemExponentialFailureRateLimiter(5ms, 1000s) and BucketRateLimiter(rate.NewLimiter(10, 100))), which
/// controller-runtime's controller uses unless told otherwise (pkg/controller/controller.go NewTypedUnmanaged).
/// </summary>
internal sealed class ControllerRateLimiter(TimeProvider time)
{
    public static readonly TimeSpan BaseDelay = TimeSpan.FromMilliseconds(5);
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(1000);
    private const double BucketRate = 10;
    private const double BucketBurst = 100;

    private readonly Dictionary<(string, string), int> _failures = [];
    private readonly Lock _gate = new();
    private double _tokens = BucketBurst;
    private DateTimeOffset _last = time.GetUtcNow();

    /// <summary>The delay before <paramref name="key"/>'s next try; counts one more failure for it.</summary>
    public TimeSpan When((string, string) key)
    {
        lock (_gate)
        {
            var failures = _failures.GetValueOrDefault(key);
            _failures[key] = failures + 1;

            // ItemExponentialFailureRateLimiter.When: base * 2^failures, capped (and guarded against overflow).
            var exponent = Math.Min(failures, 62);
            var backoff = BaseDelay.TotalMilliseconds * Math.Pow(2, exponent);
            var perItem = backoff > MaxDelay.TotalMilliseconds ? MaxDelay : TimeSpan.FromMilliseconds(backoff);
            var bucket = Reserve();
            return perItem > bucket ? perItem : bucket;
        }
    }

    /// <summary>The key succeeded: its failures are forgotten (workqueue Forget).</summary>
    public void Forget((string, string) key)
    {
        lock (_gate)
        {
            _failures.Remove(key);
        }
    }

    public int Requeues((string, string) key)
    {
        lock (_gate)
        {
            return _failures.GetValueOrDefault(key);
        }
    }

    // rate.Limiter.Reserve().Delay(): refill at BucketRate up to the burst, take a token, wait for a missing one.
    private TimeSpan Reserve()
    {
        var now = time.GetUtcNow();
        _tokens = Math.Min(BucketBurst, _tokens + ((now - _last).TotalSeconds * BucketRate));
        _last = now;
        _tokens -= 1;
        return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / BucketRate);
    }
}
