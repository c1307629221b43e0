using OtelLab.Model;

namespace OtelLab.Scenarios.Definition;

/// <summary>
/// One fault step of a scenario (<c>faults:</c>), timed from the start of the load: either a backend answering a
/// status for a period (<c>{ at: 10s, backend: dynatrace, status: 503, for: 30s }</c>) or a pod deleted as
/// <c>kubectl delete pod</c> does (<c>{ at: 15s, kill: pod/observability/otel-gateway-collector }</c>, the name or
/// a prefix of it: a Deployment's pods carry generated suffixes). Times are the lab's clock, not time-scaled: the
/// collectors' retry backoff and queues run on that clock too.
/// </summary>
public sealed record FaultSpec
{
    /// <summary>Delay from the start of the load.</summary>
    public required TimeSpan At { get; init; }

    /// <summary><c>dynatrace</c> or <c>datadog</c> for a backend fault; null for a kill.</summary>
    public string? Backend { get; init; }

    /// <summary>The HTTP status the backend answers its ingest with (429/503 retryable, others permanent upstream).</summary>
    public int Status { get; init; }

    /// <summary>How long the backend fault lasts.</summary>
    public TimeSpan For { get; init; }

    /// <summary>The pod to delete: namespace and name (or name prefix); null for a backend fault.</summary>
    public (string Namespace, string Name)? Kill { get; init; }

    /// <summary>Where the step is written (file:line).</summary>
    public required SourceLocation Location { get; init; }

    public override string ToString() => Kill is { } pod
        ? $"at {At.TotalSeconds:0.###}s kill pod/{pod.Namespace}/{pod.Name}"
        : $"at {At.TotalSeconds:0.###}s {Backend} answers {Status} for {For.TotalSeconds:0.###}s";
}
