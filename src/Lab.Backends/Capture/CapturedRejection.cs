namespace OtelLab.Backends.Capture;

/// <summary>The telemetry signal an item or request belongs to.</summary>
public enum Signal
{
    Traces,
    Metrics,
    Logs,
    /// <summary>Datadog host metadata, stats and other intake that is not one of the three signals.</summary>
    Other,
}

/// <summary>
/// Something a backend refused: a whole request (status 4xx/5xx) or items inside an accepted request
/// (Dynatrace's HTTP 200 partial_success). <see cref="Reason"/> is the vendor's reason code where it has one
/// (e.g. <c>UNSUPPORTED_METRIC_TYPE_MONOTONIC_CUMULATIVE_SUM</c>), else a short lab code (<c>UNAUTHORIZED</c>).
/// </summary>
public sealed record CapturedRejection(
    string Backend,
    Signal Signal,
    int HttpStatus,
    string Reason,
    string Detail,
    string ItemName,
    long ItemCount,
    string ServiceName,
    CredentialFingerprint Credential,
    DateTimeOffset At);
