namespace OtelLab.Sim.Kubelet;

/// <summary>
/// The kubelet's crash-loop back-off for one container: after an exit the container restarts at once the first
/// time, then waits 10 s, 20 s, 40 s … capped at 300 s; once the last back-off is more than 10 minutes (twice the
/// cap) old, the next exit starts over at 10 s. Durations are lab time (the lab clock scales them).
/// upstream: kubernetes pkg/kubelet/kubelet.go (backOffPeriod 10s, MaxContainerBackOff 300s),
/// pkg/kubelet/kuberuntime/kuberuntime_manager.go (doBackOff: IsInBackOffSince(key, finishedAt), then Next),
/// client-go util/flowcontrol/backoff.go (Next doubles up to max; hasExpired: older than 2×max resets; no jitter);
/// docs: concepts/workloads/pods/pod-lifecycle "Container restarts".
/// </summary>
public sealed class RestartBackOff
{
    public static readonly TimeSpan Initial = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan Max = TimeSpan.FromSeconds(300);

    private TimeSpan? _backoff;
    private DateTimeOffset _lastUpdate;

    /// <summary>The current back-off window (null before the first restart).</summary>
    public TimeSpan? Current => _backoff;

    /// <summary>
    /// When a container that finished at <paramref name="finishedAt"/> may start again, given the time now; and
    /// records the restart (the next back-off doubles).
    /// </summary>
    public DateTimeOffset RestartAt(DateTimeOffset finishedAt, DateTimeOffset now)
    {
        var inBackOff = _backoff is { } b && !Expired(finishedAt) && now - finishedAt < b;
        var at = inBackOff ? finishedAt + _backoff!.Value : now;
        Next(finishedAt, at);
        return at;
    }

    // upstream Next(key, finishedAt): a fresh entry when none or expired, else double; lastUpdate = the clock now.
    private void Next(DateTimeOffset finishedAt, DateTimeOffset at)
    {
        _backoff = _backoff is null || Expired(finishedAt)
            ? Initial
            : TimeSpan.FromTicks(Math.Min((_backoff.Value * 2).Ticks, Max.Ticks));
        _lastUpdate = at;
    }

    private bool Expired(DateTimeOffset eventTime) => eventTime - _lastUpdate > Max * 2;
}
