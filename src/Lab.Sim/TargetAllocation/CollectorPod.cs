namespace OtelLab.Sim.TargetAllocation;

/// <summary>
/// What the TA's collector watcher sees of a collector pod (upstream: TA internal/collector/collector.go reads
/// <c>metadata.name</c>, <c>spec.nodeName</c>, <c>status.phase</c>, <c>status.startTime</c>).
/// </summary>
public sealed record CollectorPod(string Name, string NodeName, string Phase = CollectorPod.Running, DateTimeOffset? StartTime = null)
{
    /// <summary>The Running pod phase.</summary>
    public const string Running = "Running";
}
