namespace OtelLab.Load.Traces;

/// <summary>
/// Exactly what a <see cref="TraceLoad"/> run generated and what happened when sending it, so checks can compare
/// with what the backends kept: trace ids by class, span counts, failures by reason, and latencies (HdrHistogram).
/// </summary>
public sealed record TraceLoadReport
{
    public required IReadOnlyDictionary<TraceClass, IReadOnlyList<string>> TraceIds { get; init; }

    public long TracesGenerated => TraceIds.Values.Sum(v => (long)v.Count);

    public required long SpansGenerated { get; init; }

    /// <summary>Spans in export requests the endpoint accepted.</summary>
    public required long SpansSent { get; init; }

    /// <summary>Spans in export requests that failed (connection refused, timeout, non-OK status).</summary>
    public required long SpansFailed { get; init; }

    /// <summary>Spans dropped before sending because a service's queue was full.</summary>
    public required long SpansDropped { get; init; }

    public required long Exports { get; init; }

    public required long FailedExports { get; init; }

    /// <summary>Failed exports by reason (<c>connect ConnectionRefused</c>, <c>grpc Unavailable</c>, <c>http 503</c>, …).</summary>
    public required IReadOnlyDictionary<string, long> FailureReasons { get; init; }

    /// <summary>From the start to the end of sending (generation plus the final flush).</summary>
    public required TimeSpan Elapsed { get; init; }

    /// <summary>From the start to the moment the last trace was generated.</summary>
    public required TimeSpan GenerationElapsed { get; init; }

    /// <summary>How late traces started against the open-model schedule (p50, p99, max).</summary>
    public required LatencySummary ScheduleLag { get; init; }

    /// <summary>Export request round trips (p50, p99, max).</summary>
    public required LatencySummary ExportLatency { get; init; }

    /// <summary>Achieved generation rate: traces after the first over the time to the last (the first starts at t=0).</summary>
    public double TracesPerSecond => GenerationElapsed > TimeSpan.Zero ? (TracesGenerated - 1) / GenerationElapsed.TotalSeconds : 0;

    public double SpansGeneratedPerSecond => GenerationElapsed > TimeSpan.Zero ? SpansGenerated / GenerationElapsed.TotalSeconds : 0;

    public double SpansSentPerSecond => Elapsed > TimeSpan.Zero ? SpansSent / Elapsed.TotalSeconds : 0;

    /// <summary>Conservation: every generated span is sent, failed or dropped.</summary>
    public bool Balanced => SpansGenerated == SpansSent + SpansFailed + SpansDropped;
}

/// <summary>Percentiles of a latency histogram, in milliseconds.</summary>
public sealed record LatencySummary(long Count, double P50Ms, double P99Ms, double MaxMs)
{
    public override string ToString() => FormattableString.Invariant($"n={Count} p50={P50Ms:0.###}ms p99={P99Ms:0.###}ms max={MaxMs:0.###}ms");
}
