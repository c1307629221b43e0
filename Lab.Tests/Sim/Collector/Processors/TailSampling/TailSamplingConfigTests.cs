using OtelLab.Sim.Collector.Processors.TailSampling;
using static OtelLab.Tests.Sim.Collector.Processors.TailSampling.YamlText;

namespace OtelLab.Tests.Sim.Collector.Processors.TailSampling;

[Trait("Category", "Unit")]
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

    [Fact]
    public void Reads_every_policy_section_upstream_knows()
    {
        var config = TailSamplingConfig.Parse(Mapping("""
            sample_on_first_match: true
            decision_cache: {sampled_cache_size: 100, non_sampled_cache_size: 200}
            policies:
              - {name: rate, type: rate_limiting, rate_limiting: {spans_per_second: 35, burst_capacity: 50}}
              - {name: bytes, type: bytes_limiting, bytes_limiting: {bytes_per_second: 1024, burst_capacity: 4096}}
              - {name: count, type: span_count, span_count: {min_spans: 2, max_spans: 20}}
              - {name: state, type: trace_state, trace_state: {key: key3, values: [value1, value2]}}
              - {name: flag, type: boolean_attribute, boolean_attribute: {key: key4, value: true, invert_match: true}}
              - {name: flags, type: trace_flags}
              - name: ottl
                type: ottl_condition
                ottl_condition: {error_mode: IGNORE, span: ['name == "a"'], spanevent: ['name != "b"']}
              - name: not-errors
                type: not
                not: {not_sub_policy: {name: errors, type: status_code, status_code: {status_codes: [ERROR]}}}
              - name: mix
                type: composite
                composite:
                  max_total_spans_per_second: 1000
                  policy_order: [b, a]
                  composite_sub_policy:
                    - {name: a, type: always_sample}
                    - {name: b, type: and, and: {and_sub_policy: [{name: c, type: latency, latency: {threshold_ms: 5}}]}}
                  rate_allocation: [{policy: a, percent: 50}, {policy: b, percent: 25}]
            """));

        Assert.True(config.SampleOnFirstMatch);
        Assert.Equal((100, 200), (config.SampledCacheSize, config.NonSampledCacheSize));
        var p = config.Policies;
        Assert.Equal(new RateLimitingSettings(35, 50), p[0].RateLimiting);
        Assert.Equal(new BytesLimitingSettings(1024, 4096), p[1].BytesLimiting);
        Assert.Equal(new SpanCountSettings(2, 20), p[2].SpanCount);
        Assert.Equal(["value1", "value2"], p[3].TraceState.Values);
        Assert.Equal(new BooleanAttributeSettings("key4", true, true), p[4].BooleanAttribute);
        Assert.Equal("trace_flags", p[5].Type);
        Assert.Equal(("ignore", "name == \"a\"", "name != \"b\""), (p[6].OttlCondition.ErrorMode, p[6].OttlCondition.SpanConditions[0], p[6].OttlCondition.SpanEventConditions[0]));
        Assert.Equal("status_code", p[7].NotSubPolicy!.Type);
        var composite = p[8].Composite;
        Assert.Equal(1000, composite.MaxTotalSpansPerSecond);
        Assert.Equal(["b", "a"], composite.PolicyOrder);
        Assert.Equal(5, composite.SubPolicies[1].AndSubPolicies[0].Latency.ThresholdMs);
        Assert.Equal([new RateAllocation("a", 50), new RateAllocation("b", 25)], composite.RateAllocation);
        Assert.Equal(p.Select(x => x.Name), TailSamplingPolicySet.Create(config).PolicyNames);
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
    [InlineData("{name: x, type: ottl_condition, ottl_condition: {span: ['Len(name) > 3']}}", "failed to create policy evaluator for \"x\": OTTL condition \"Len(name) > 3\": converter Len is not emulated")]
    [InlineData("{name: x, type: ottl_condition}", "failed to create policy evaluator for \"x\": expected at least one OTTL condition to filter on")]
    [InlineData("{name: x, type: ottl_condition, ottl_condition: {error_mode: loud, span: ['name == \"a\"']}}", "'policies[1].ottl_condition.error_mode' unknown error mode loud")]
    [InlineData("{name: x, type: composite, composite: {composite_sub_policy: [{name: y, type: composite}]}}", "failed to create policy evaluator for \"x\": unknown sampling policy type composite")]
    [InlineData("{name: x, type: composite, composite: {composite_sub_policy: [{name: y, type: always_sample, drop: {}}]}}", "'policies[1].composite.composite_sub_policy[0]' has invalid keys: drop")]
    [InlineData("{name: x, type: rate_limiting, rate_limiting: {spans_per_second: 1.5}}", "'policies[1].rate_limiting.spans_per_second' expected type 'int64', got '1.5'")]
    [InlineData("{name: x, type: span_count, span_count: {min_spans: 3000000000}}", "'policies[1].span_count.min_spans' expected type 'int', got '3000000000'")]
    [InlineData("{name: x, type: boolean_attribute, boolean_attribute: {key: k, value: yes}}", "'policies[1].boolean_attribute.value' expected type 'bool'")]
    [InlineData("{name: x, type: trace_state, trace_state: {key: k, value: [a]}}", "'policies[1].trace_state' has invalid keys: value")]
    [InlineData("{name: x, type: not}", "failed to create policy evaluator for \"x\": unknown sampling policy type ")]
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
