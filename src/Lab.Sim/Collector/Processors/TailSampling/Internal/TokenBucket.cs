namespace OtelLab.Sim.Collector.Processors.TailSampling.Internal;

/// <summary>
/// golang.org/x/time/rate <c>Limiter.AllowN(now, n)</c>, which upstream's rate_limiting.go and bytes_limiting.go call,
/// on the lab's <see cref="TimeProvider"/>:
/// <list type="bullet">
/// <item>NewLimiter leaves <c>last</c> at Go's zero time, so the first call sees ~292 years elapsed (Time.Sub saturates)
/// and finds the bucket full.</item>
/// <item>advance: tokens += Duration.Seconds() × limit, capped at burst; a clock that went backwards counts as no time.</item>
/// <item>reserveN with no future reservation: allowed iff n ≤ burst and the wait for the missing tokens, truncated to
/// whole nanoseconds, is ≤ 0; only an allowed call changes the state.</item>
/// <item>limit 0 spends the burst itself (no refill, ever).</item>
/// </list>
/// Not thread-safe: the processor evaluates under its lock.
/// </summary>
internal sealed class TokenBucket
{
    private const long NanosPerSecond = 1_000_000_000;

    private readonly double _limit;
    private readonly TimeProvider _clock;
    private long _burst;
    private double _tokens;
    private long? _lastNanos;

    public TokenBucket(double limit, long burst, TimeProvider clock)
    {
        _limit = limit;
        _burst = burst;
        _clock = clock;
    }

    public bool AllowN(long n)
    {
        if (_limit == 0)
        {
            if (_burst < n)
            {
                return false;
            }

            _burst -= n;
            return true;
        }

        var now = UnixNanos(_clock.GetUtcNow());
        var tokens = Advance(now) - n;
        var waitNanos = tokens < 0 ? WaitNanos(-tokens) : 0;
        if (n > _burst || waitNanos > 0)
        {
            return false;
        }

        _lastNanos = now;
        _tokens = tokens;
        return true;
    }

    private double Advance(long now)
    {
        var last = _lastNanos is { } l && l <= now ? l : (long?)null;
        var elapsed = _lastNanos is null ? long.MaxValue : now - (last ?? now);
        var tokens = _tokens + (_limit <= 0 ? 0 : GoSeconds(elapsed) * _limit);
        return tokens > _burst ? _burst : tokens;
    }

    // Limit.durationFromTokens: seconds × 1e9, Inf when that overflows int64, then time.Duration truncates.
    private long WaitNanos(double tokens)
    {
        if (_limit <= 0)
        {
            return long.MaxValue;
        }

        var nanos = tokens / _limit * NanosPerSecond;
        return nanos > long.MaxValue ? long.MaxValue : (long)nanos;
    }

    // time.Duration.Seconds(): whole seconds plus the remainder, each converted separately.
    private static double GoSeconds(long nanos) => (nanos / NanosPerSecond) + ((double)(nanos % NanosPerSecond) / 1e9);

    private static long UnixNanos(DateTimeOffset time) => (time - DateTimeOffset.UnixEpoch).Ticks * 100;
}
