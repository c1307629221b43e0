namespace OtelLab.Sim.TargetAllocation;

/// <summary>
/// upstream: TA internal/allocation/least_weighted.go. A target whose collector still exists keeps it; otherwise the
/// collector with the fewest targets, ties broken by fewer targets of the same job, then by the smaller name. Because
/// existing assignments stick, a collector added later gets nothing until targets churn (operator#2477).
/// </summary>
public sealed class LeastWeightedStrategy : IAllocationStrategy
{
    public string Name => AllocationStrategies.LeastWeighted;

    public CollectorReplica? GetCollectorForTarget(IReadOnlyDictionary<string, CollectorReplica> collectors, TargetItem item, out string? error)
    {
        ArgumentNullException.ThrowIfNull(collectors);
        ArgumentNullException.ThrowIfNull(item);
        error = null;
        if (item.CollectorName.Length > 0 && collectors.TryGetValue(item.CollectorName, out var current))
        {
            return current;
        }

        CollectorReplica? best = null;
        foreach (var candidate in collectors.Values)
        {
            if (best is null || candidate.NumTargets < best.NumTargets)
            {
                best = candidate;
                continue;
            }

            if (candidate.NumTargets == best.NumTargets)
            {
                candidate.TargetsPerJob.TryGetValue(item.JobName, out var candidatePerJob);
                best.TargetsPerJob.TryGetValue(item.JobName, out var bestPerJob);
                if (candidatePerJob < bestPerJob || (candidatePerJob == bestPerJob && string.CompareOrdinal(candidate.Name, best.Name) < 0))
                {
                    best = candidate;
                }
            }
        }

        return best;
    }

    public void SetCollectors(IReadOnlyDictionary<string, CollectorReplica> collectors)
    {
        // upstream: a no-op for least-weighted.
    }

    public void SetFallbackStrategy(IAllocationStrategy? fallback)
    {
        // upstream: a no-op for least-weighted.
    }
}
