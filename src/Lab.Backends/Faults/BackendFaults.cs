namespace OtelLab.Backends.Faults;

/// <summary>
/// Runtime fault controls of one backend, for outage scenarios. Each fault lasts a period measured on the
/// backend's <see cref="TimeProvider"/> (so tests and time-scaled scenarios control it) and ends by itself.
/// </summary>
public sealed class BackendFaults
{
    private readonly TimeProvider _time;
    private readonly Func<TimeSpan, CancellationToken, Task> _refuseConnections;
    private BackendFault _current = BackendFault.None;

    internal BackendFaults(TimeProvider time, Func<TimeSpan, CancellationToken, Task> refuseConnections)
    {
        _time = time;
        _refuseConnections = refuseConnections;
    }

    /// <summary>The fault in force now (<see cref="BackendFault.None"/> once its period has passed).</summary>
    public BackendFault Current
    {
        get
        {
            var fault = Volatile.Read(ref _current);
            return fault.Kind != BackendFaultKind.None && _time.GetUtcNow() < fault.Until ? fault : BackendFault.None;
        }
    }

    /// <summary>Answer 503 for <paramref name="period"/>, with Retry-After when <paramref name="retryAfter"/> is given.</summary>
    public void Unavailable(TimeSpan period, TimeSpan? retryAfter = null) =>
        Set(BackendFaultKind.Unavailable, period, retryAfter ?? TimeSpan.Zero, TimeSpan.Zero);

    /// <summary>Answer 429 with Retry-After for <paramref name="period"/>.</summary>
    public void Throttle(TimeSpan period, TimeSpan retryAfter)
    {
        if (retryAfter < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(retryAfter), retryAfter, "Retry-After is whole seconds: give at least 1 s.");
        }

        Set(BackendFaultKind.Throttled, period, retryAfter, TimeSpan.Zero);
    }

    /// <summary>Answer every ingest request with <paramref name="status"/> (an HTTP error status, 400–599) for <paramref name="period"/>.</summary>
    public void Fail(TimeSpan period, int status)
    {
        if (status is < 400 or > 599)
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "A failing status is an HTTP error status: give 400–599.");
        }

        Set(BackendFaultKind.Status, period, TimeSpan.Zero, TimeSpan.Zero, status);
    }

    /// <summary>Delay every ingest response by <paramref name="delay"/> for <paramref name="period"/>.</summary>
    public void Slow(TimeSpan period, TimeSpan delay) => Set(BackendFaultKind.Slow, period, TimeSpan.Zero, delay);

    /// <summary>Close the listener now and reopen it on the same address and port after <paramref name="period"/>.</summary>
    public Task RefuseConnectionsAsync(TimeSpan period, CancellationToken cancellationToken = default)
    {
        Set(BackendFaultKind.RefuseConnections, period, TimeSpan.Zero, TimeSpan.Zero);
        return _refuseConnections(period, cancellationToken);
    }

    /// <summary>End any 503/429/slow fault now (a closed listener reopens when its own period ends).</summary>
    public void Clear() => Volatile.Write(ref _current, BackendFault.None);

    private void Set(BackendFaultKind kind, TimeSpan period, TimeSpan retryAfter, TimeSpan delay, int status = 0)
    {
        if (period <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(period), period, "A fault period must be positive.");
        }

        Volatile.Write(ref _current, new BackendFault(kind, _time.GetUtcNow() + period, retryAfter, delay) { StatusCode = status });
    }
}
