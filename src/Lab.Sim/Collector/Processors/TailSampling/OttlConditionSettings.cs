namespace OtelLab.Sim.Collector.Processors.TailSampling;

/// <summary>
/// <c>ottl_condition:</c> — upstream config.go OTTLConditionCfg: <c>error_mode</c>, <c>span</c> and <c>spanevent</c>
/// condition lists (each list is OR-ed, as filterottl builds it).
/// </summary>
public sealed record OttlConditionSettings(string ErrorMode, IReadOnlyList<string> SpanConditions, IReadOnlyList<string> SpanEventConditions)
{
    public static OttlConditionSettings None { get; } = new(string.Empty, [], []);
}
