namespace OtelLab.Sim.Collector.Exporters;

/// <summary>The outcome of one push attempt (upstream: the error a pusher returns, permanent or not, with a throttle hint).</summary>
public readonly record struct ExportResult(bool Succeeded, bool Retryable, string? Error, TimeSpan? RetryAfter)
{
    public static ExportResult Success { get; } = new(true, false, null, null);

    /// <summary>A transient failure: the retry sender tries again (after at least <paramref name="retryAfter"/>).</summary>
    public static ExportResult Retry(string error, TimeSpan? retryAfter = null) => new(false, true, error, retryAfter);

    /// <summary>upstream <c>consumererror.NewPermanent</c>: dropped without retry, counted as send_failed.</summary>
    public static ExportResult Permanent(string error) => new(false, false, error, null);
}
