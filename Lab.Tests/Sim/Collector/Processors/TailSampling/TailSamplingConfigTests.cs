using OtelLab.Sim.Collector.Processors.TailSampling;
using static OtelLab.Tests.Sim.Collector.Processors.TailSampling.YamlText;

namespace OtelLab.Tests.Sim.Collector.Processors.TailSampling;

public sealed class TailSamplingConfigTests
{
    [Fact]
    public void Empty_config_has_upstream_defaults()
    {
        var config = TailSamplingConfig.Parse(null);
        Assert.Equal(TimeSpan.FromSeconds(30), config.DecisionWait);
        Assert.Equal(50_000UL, config.NumTraces);
        Assert.Equal(0UL, config.ExpectedNewTracesPerSec);
        Assert.Equal(0, config.SampledCacheSize);
        Assert.Equal(30UL, config.DecisionBatches);
    }

    [Fact]
    public void Reads_the_guide_style_config()
    {
        var config = TailSamplingConfig.Parse(Mapping("""
            decision_wait: 10s
            num_traces: 100_000
            expected_new_traces_per_sec: 10
            decision_cache: {sampled_cache_size: 1000}
            policies:
              - name: errors
                type: status_code
                status_code: {status_codes: [ERROR]}
              - name: slow
                type: latency
                latency: {threshold_ms: 500, upper_threshold_ms: 0}
              - name: baseline
                type: probabilistic
                probabilistic: {sampling_percentage: 10, hash_salt: abc}
              - name: ledger-only
                type: and
                and:
                  and_sub_policy:
                    - {name: svc, type: string_attribute, string_attribute: {key: service.name, values: [ledger]}}
                    - {name: big, type: numeric_attribute, numeric_attribute: {key: amount, min_value: 1000}}
            """));

        Assert.Equal(TimeSpan.FromSeconds(10), config.DecisionWait);
        Assert.Equal(100_000UL, config.NumTraces);
        Assert.Equal(1000, config.SampledCacheSize);
        Assert.Equal(["errors", "slow", "baseline", "ledger-only"], config.Policies.Select(p => p.Name));
        Assert.Equal(["ERROR"], config.Policies[0].StatusCode.StatusCodes);
        Assert.Equal(500, config.Policies[1].Latency.ThresholdMs);
        Assert.Equal(new ProbabilisticSettings("abc", 10), config.Policies[2].Probabilistic);
        Assert.Equal(1000, config.Policies[3].AndSubPolicies[1].NumericAttribute.MinValue);
        Assert.Equal(9, config.Policies[1].Line); // "- name: slow"
    }

    [Theory]
    [InlineData("1m30s", 90_000)]
    [InlineData("500ms", 500)]
    [InlineData("1.5s", 1_500)]
    [InlineData("0", 0)]
    public void Decision_wait_is_a_go_duration(string text, long expectedMs)
    {
        var config = TailSamplingConfig.Parse(Mapping($"decision_wait: {text}"));
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), config.DecisionWait);
    }

    [Fact]
    public void An_integer_decision_wait_is_nanoseconds_as_mapstructure_decodes_it()
    {
        Assert.Equal(TimeSpan.FromSeconds(2), TailSamplingConfig.Parse(Mapping("decision_wait: 2_000_000_000")).DecisionWait);
    }

    [Theory]
    [InlineData(500, 1UL)]
    [InlineData(1_999, 1UL)]
    [InlineData(2_500, 2UL)]
    [InlineData(10_000, 10UL)]
    public void Decision_batches_are_whole_seconds_at_least_one(long waitMs, ulong batches)
    {
        Assert.Equal(batches, new TailSamplingConfig { DecisionWait = TimeSpan.FromMilliseconds(waitMs) }.DecisionBatches);
    }

    [Theory]
    [InlineData("decision_wait: 10x", "time: unknown unit \"x\" in duration \"10x\"", 1)]
    [InlineData("decision_wait: abc", "time: invalid duration \"abc\"", 1)]
    [InlineData("decision_wait: '5'", "time: missing unit in duration \"5\"", 1)]
    [InlineData("num_traces: -1", "cannot parse 'num_traces', -1 overflows uint", 1)]
    [InlineData("num_traces: 0", "num_traces must be at least 1", 1)]
    [InlineData("num_trace: 5", "'' has invalid keys: num_trace", 1)]
    [InlineData("policies: {a: 1}", "'policies' expected a list of policies", 1)]
    public void Rejects_bad_top_level_values_with_position(string yaml, string message, long line)
    {
        var ex = Assert.Throws<TailSamplingConfigException>(() => TailSamplingConfig.Parse(Mapping(yaml)));
        Assert.StartsWith(message, ex.Message, StringComparison.Ordinal);
        Assert.Equal(line, ex.Line);
    }

    [Theory]
    [InlineData("{name: e, type: status_code, status_code: {status_codes: []}}", "failed to create policy evaluator for \"e\": expected at least one status code to filter on")]
    [InlineData("{name: e, type: status_code}", "failed to create policy evaluator for \"e\": expected at least one status code to filter on")]
    [InlineData("{name: e, type: status_code, status_code: {status_codes: [Error]}}", "failed to create policy evaluator for \"e\": unknown status code \"Error\", supported: OK, ERROR, UNSET")]
    [InlineData("{type: always_sample}", "policy name cannot be empty")]
    [InlineData("{name: x, type: nope}", "failed to create policy evaluator for \"x\": unknown sampling policy type nope")]
    [InlineData("{name: x, type: rate_limiting}", "failed to create policy evaluator for \"x\": policy type rate_limiting is valid upstream but not emulated")]
    [InlineData("{name: x, type: numeric_attribute, numeric_attribute: {key: k}}", "failed to create policy evaluator for \"x\": At least one of minValue or maxValue must be set")]
    [InlineData("{name: x, type: and, and: {and_sub_policy: [{name: y, type: and}]}}", "failed to create policy evaluator for \"x\": unknown sampling policy type and")]
    [InlineData("{name: x, type: latency, latency: {threshold: 5}}", "'policies[1].latency' has invalid keys: threshold")]
    [InlineData("{name: x, type: latency, latency: {threshold_ms: '5'}}", "'policies[1].latency.threshold_ms' expected type 'int64', got unconvertible type 'string'")]
    public void Rejects_bad_policies_with_upstream_texts_and_the_policy_line(string policy, string message)
    {
        var yaml = $"""
            policies:
              - {"{"}name: ok, type: always_sample{"}"}
              - {policy}
            """;
        var ex = Assert.Throws<TailSamplingConfigException>(() => TailSamplingPolicySet.Create(TailSamplingConfig.Parse(Mapping(yaml))));
        Assert.StartsWith(message, ex.Message, StringComparison.Ordinal);
        Assert.Equal(3, ex.Line);
    }

    [Fact]
    public void Rejects_duplicate_policy_names()
    {
        var config = TailSamplingConfig.Parse(Mapping("policies: [{name: a, type: always_sample}, {name: a, type: always_sample}]"));
        var ex = Assert.Throws<TailSamplingConfigException>(() => TailSamplingPolicySet.Create(config));
        Assert.Equal("duplicate policy name \"a\"", ex.Message);
    }

    [Fact]
    public void Reports_lines_shifted_by_the_offset_of_an_embedded_config()
    {
        var ex = Assert.Throws<TailSamplingConfigException>(() => TailSamplingConfig.Parse(Mapping("\nnum_traces: x"), lineOffset: 40));
        Assert.Equal(42, ex.Line);
    }
}
