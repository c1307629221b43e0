namespace OtelLab.Sim.Collector.Processors.TailSampling;

/// <summary>
/// One entry of <c>policies:</c> (or of <c>and_sub_policy</c>, <c>drop_sub_policy</c>, <c>composite_sub_policy</c>,
/// <c>not_sub_policy</c>). Like upstream's squashed
/// PolicyCfg every section may be present; only the one named by <see cref="Type"/> is used.
/// </summary>
public sealed record PolicyConfig
{
    public required string Name { get; init; }

    public required string Type { get; init; }

    public LatencySettings Latency { get; init; } = new();

    public NumericAttributeSettings NumericAttribute { get; init; } = new();

    public ProbabilisticSettings Probabilistic { get; init; } = new();

    public StatusCodeSettings StatusCode { get; init; } = StatusCodeSettings.None;

    public StringAttributeSettings StringAttribute { get; init; } = StringAttributeSettings.None;

    public RateLimitingSettings RateLimiting { get; init; } = new();

    public BytesLimitingSettings BytesLimiting { get; init; } = new();

    public SpanCountSettings SpanCount { get; init; } = new();

    public TraceStateSettings TraceState { get; init; } = TraceStateSettings.None;

    public BooleanAttributeSettings BooleanAttribute { get; init; } = new();

    public OttlConditionSettings OttlCondition { get; init; } = OttlConditionSettings.None;

    public CompositeSettings Composite { get; init; } = CompositeSettings.None;

    /// <summary><c>not.not_sub_policy</c> (null when absent).</summary>
    public PolicyConfig? NotSubPolicy { get; init; }

    /// <summary><c>and.and_sub_policy</c>.</summary>
    public IReadOnlyList<PolicyConfig> AndSubPolicies { get; init; } = [];

    /// <summary><c>drop.drop_sub_policy</c>.</summary>
    public IReadOnlyList<PolicyConfig> DropSubPolicies { get; init; } = [];

    /// <summary>Key path of this policy in the processor config, e.g. <c>policies[2]</c>.</summary>
    public string Path { get; init; } = string.Empty;

    /// <summary>1-based line of the policy in its YAML (0 when built in code).</summary>
    public long Line { get; init; }

    public long Column { get; init; }
}
