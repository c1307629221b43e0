namespace OtelLab.Model.Collector.Decoding.Schemas;

/// <summary>
/// upstream: opentelemetry-collector-contrib processor/tailsamplingprocessor/config.go @ v0.105.0 — the top-level
/// keys only; each policy is read by the tail_sampling emulation's own reader. <c>decision_cache</c> gained
/// <c>non_sampled_cache_size</c> and the processor <c>sample_on_first_match</c>, <c>drop_pending_traces_on_shutdown</c>
/// and <c>block_on_overflow</c> in later releases; they are accepted so newer images are not refused for them.
/// UNCONFIRMED against the tagged v0.105.0 source (contrib is not mirrored for the lab; read from upstream's struct
/// of that era): a key upstream has and this table lacks is a false finding — add it here with a test row.
/// </summary>
public static class TailSamplingProcessorSchema
{
    public static ComponentSchema Schema { get; } = new(
        ComponentKind.Processor,
        "tail_sampling",
        ConfigType.Struct(
            "tailsamplingprocessor.Config",
            ("decision_wait", ConfigType.Duration, "30s"),
            ("num_traces", ConfigType.Uint64, "50000"),
            ("expected_new_traces_per_sec", ConfigType.Uint64, "0"),
            ("policies", ConfigType.ListOf(ConfigType.Any)),
            ("decision_cache", ConfigType.Struct(
                "tailsamplingprocessor.DecisionCacheConfig",
                ("sampled_cache_size", ConfigType.Int),
                ("non_sampled_cache_size", ConfigType.Int))),
            ("sample_on_first_match", ConfigType.Bool),
            ("drop_pending_traces_on_shutdown", ConfigType.Bool),
            ("block_on_overflow", ConfigType.Bool)),
        "open-telemetry/opentelemetry-collector-contrib processor/tailsamplingprocessor/config.go @ v0.105.0");
}
