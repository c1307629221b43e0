namespace OtelLab.Backends.Faults;

/// <summary>The outage a backend simulates on its ingest endpoints (the /lab query API is never affected, except by <see cref="RefuseConnections"/>).</summary>
public enum BackendFaultKind
{
    None,
    /// <summary>HTTP 503, optionally with Retry-After (exporterhelper retries 503 and honours Retry-After).</summary>
    Unavailable,
    /// <summary>HTTP 429 with Retry-After (exporterhelper retries 429 and honours Retry-After).</summary>
    Throttled,
    /// <summary>Requests are answered normally, after a delay (to trip the exporter's 5 s timeout).</summary>
    Slow,
    /// <summary>
    /// A fixed HTTP status (e.g. 400 or 500) on every ingest request: what the exporter does with it is its own
    /// classification (otlphttp: 429/502/503/504 retryable, every other non-2xx permanent — collector.md).
    /// </summary>
    Status,
    /// <summary>The listener is closed: connections are refused until the period ends.</summary>
    RefuseConnections,
}
