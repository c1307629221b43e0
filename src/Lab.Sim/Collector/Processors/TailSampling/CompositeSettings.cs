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
}
