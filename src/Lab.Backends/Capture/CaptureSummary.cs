namespace OtelLab.Backends.Capture;

/// <summary>Counts for one service (service.name, or Datadog's service) at one backend.</summary>
public sealed record ServiceCounts(long Spans, long MetricPoints, long LogRecords);

/// <summary>A credential the backend saw (masked), with how many requests it carried.</summary>
public sealed record CredentialUsage(string Credential, long AcceptedRequests, long RejectedRequests, DateTimeOffset LastSeen);

/// <summary>Requests and bytes received on an intake path the lab counts but does not decode (Datadog stats, host metadata).</summary>
public sealed record IntakeCounts(string Path, long Requests, long Bytes);

/// <summary>What a backend holds, for assertions and the dashboard.</summary>
public sealed record CaptureSummary(
    string Backend,
    long AcceptedSpans,
    long AcceptedMetricPoints,
    long AcceptedLogRecords,
    long RejectedItems,
    long RejectedRequests,
    long Evicted,
    int CapacityPerSignal,
    double IngestItemsPerSecond,
    IReadOnlyDictionary<string, ServiceCounts> Services,
    IReadOnlyList<IntakeCounts> OtherIntake);
