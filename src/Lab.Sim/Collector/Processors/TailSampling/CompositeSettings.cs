namespace OtelLab.Sim.Collector.Processors.TailSampling;

/// <summary>
/// <c>composite:</c> — upstream config.go CompositeCfg. <c>policy_order</c> is read but, as upstream, does not change
/// the evaluation order: sub-policies are tried in <c>composite_sub_policy</c> order (composite_helper.go).
/// </summary>
public sealed record CompositeSettings(
    long MaxTotalSpansPerSecond,
    IReadOnlyList<string> PolicyOrder,
    IReadOnlyList<PolicyConfig> SubPolicies,
    IReadOnlyList<RateAllocation> RateAllocation)
{
    public static CompositeSettings None { get; } = new(0, [], [], []);

    /// <summary>
    /// A sub-policy's spans per second, as composite_helper.go getRateAllocationMap then <c>int64(...)</c>:
    /// <c>percent</c> of the total, an equal share for a percent ≤ 0, 0 for a sub-policy not in <c>rate_allocation</c>
    /// (the last entry for a name wins).
    /// </summary>
    public long AllocationFor(string subPolicy)
    {
        var total = (double)MaxTotalSpansPerSecond;
        var equalShare = total / SubPolicies.Count;
        double? allocated = null;
        foreach (var allocation in RateAllocation)
        {
            if (allocation.Policy == subPolicy)
            {
                allocated = allocation.Percent > 0 ? allocation.Percent / 100.0 * total : equalShare;
            }
        }

        return allocated is { } a ? (long)a : 0;
    }
}
