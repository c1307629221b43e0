using System.Globalization;
using OtelLab.Model.Crds;
using OtelLab.Sim.Cluster;

namespace OtelLab.Scenarios.WhatIfs;

/// <summary>
/// Scales an OpenTelemetryCollector (<c>spec.replicas</c>, as <c>kubectl scale</c> on the CR does: the operator
/// reconciles the StatefulSet) and, when a Target Allocator shards for it, waits for the new allocation and counts
/// the targets that moved between replicas — consistent hashing's promise is that about 1/n of them move.
/// </summary>
public static class CollectorScaling
{
    public static async Task<WhatIfResult> ScaleAsync(SimLab lab, string collector, int replicas, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        if (lab.Cluster is not { } cluster)
        {
            return WhatIfResult.Refused("the cluster is not running");
        }

        var kind = ResourceKind.Of("OpenTelemetryCollector");
        var cr = cluster.List<OpenTelemetryCollector>().FirstOrDefault(c => c.Name == collector);
        if (cr is null || cluster.MetadataOf(kind.Kind, cr.Namespace, cr.Name) is not { } metadata)
        {
            return WhatIfResult.Refused($"no OpenTelemetryCollector named {collector}");
        }

        // The TA of this collector (upstream names its pods <collector>-targetallocator-…).
        var allocator = lab.TargetAllocators
            .Where(kv => kv.Key.StartsWith(collector + "-targetallocator", StringComparison.Ordinal)).Select(kv => kv.Value).FirstOrDefault();
        var before = allocator?.Allocator.Assignments();
        cluster.Update(kind, cr with { Replicas = replicas }, metadata);
        var scaled = $"scaled {cr.Namespace}/{collector} from {cr.Replicas} to {replicas} replica(s)";
        if (allocator is null || before is null)
        {
            return WhatIfResult.Done(scaled + " (no Target Allocator shards for it)");
        }

        var settled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnUpdated(object? sender, EventArgs e)
        {
            if (allocator.Allocator.Collectors().Count == replicas && allocator.Allocator.Assignments().Values.All(c => c.Length > 0))
            {
                settled.TrySetResult();
            }
        }

        allocator.Updated += OnUpdated;
        try
        {
            OnUpdated(null, EventArgs.Empty);
            await settled.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return WhatIfResult.Done(string.Create(CultureInfo.InvariantCulture,
                $"{scaled}; the Target Allocator did not see {replicas} ready collectors within {timeout.TotalSeconds:0} s (it sees {allocator.Allocator.Collectors().Count})"));
        }
        finally
        {
            allocator.Updated -= OnUpdated;
        }

        var after = allocator.Allocator.Assignments();
        var common = before.Keys.Where(after.ContainsKey).ToList();
        var moved = common.Count(h => before[h] != after[h]);
        var share = common.Count == 0 ? 0 : 100.0 * moved / common.Count;
        return WhatIfResult.Done(string.Create(CultureInfo.InvariantCulture,
            $"{scaled}: {moved} of {common.Count} targets moved ({share:0.#} %; consistent hashing moves about 1/{replicas} = {100.0 / replicas:0.#} % when a replica is added)"));
    }
}
