using System.Globalization;
using OtelLab.Sim.Collector.Processors.TailSampling;

namespace OtelLab.AppHost.Commands.Sampling;

/// <summary>What a configured policy votes on, in a line, for the <c>sampling</c> verb's summary (upstream semantics).</summary>
internal static class PolicyExplanation
{
    public static string Of(PolicyConfig policy) => policy.Type switch
    {
        "always_sample" => "always_sample: every trace",
        "latency" when policy.Latency.UpperThresholdMs == 0 => $"latency: Sampled when last end − first start ≥ {policy.Latency.ThresholdMs} ms",
        "latency" => $"latency: Sampled when {policy.Latency.ThresholdMs} ms < last end − first start ≤ {policy.Latency.UpperThresholdMs} ms",
        "numeric_attribute" => $"numeric_attribute: {policy.NumericAttribute.Key} in [{Bound(policy.NumericAttribute.MinValue, "-∞")}, {Bound(policy.NumericAttribute.MaxValue, "+∞")}] on a resource or span{Invert(policy.NumericAttribute.InvertMatch)}",
        "probabilistic" => $"probabilistic: {N(policy.Probabilistic.SamplingPercentage)} % of trace ids (FNV-1a of salt + id)",
        "status_code" => $"status_code: any span with status {string.Join(" or ", policy.StatusCode.StatusCodes)}",
        "string_attribute" => $"string_attribute: {policy.StringAttribute.Key} {(policy.StringAttribute.EnabledRegexMatching ? "matches" : "is")} {string.Join(" | ", policy.StringAttribute.Values)} on a resource or span{Invert(policy.StringAttribute.InvertMatch)}",
        "rate_limiting" => $"rate_limiting: token bucket of {policy.RateLimiting.SpansPerSecond} spans/s, burst {Burst(policy.RateLimiting.BurstCapacity, policy.RateLimiting.SpansPerSecond)} spans",
        "bytes_limiting" => $"bytes_limiting: token bucket of {policy.BytesLimiting.BytesPerSecond} B/s of OTLP protobuf, burst {Burst(policy.BytesLimiting.BurstCapacity, policy.BytesLimiting.BytesPerSecond)} B",
        "span_count" => $"span_count: {policy.SpanCount.MinSpans} ≤ spans{(policy.SpanCount.MaxSpans == 0 ? string.Empty : $" ≤ {policy.SpanCount.MaxSpans}")}",
        "trace_state" => $"trace_state: a span whose tracestate has {policy.TraceState.Key}={string.Join(" | ", policy.TraceState.Values)}",
        "trace_flags" => "trace_flags: a span with the W3C sampled flag",
        "boolean_attribute" => $"boolean_attribute: {policy.BooleanAttribute.Key} == {(policy.BooleanAttribute.Value ? "true" : "false")} on a resource or span{Invert(policy.BooleanAttribute.InvertMatch)}",
        "ottl_condition" => $"ottl_condition: any of {policy.OttlCondition.SpanConditions.Count} span / {policy.OttlCondition.SpanEventConditions.Count} span event condition(s) holds",
        "composite" => $"composite: first sub-policy voting yes ({string.Join(", ", policy.Composite.SubPolicies.Select(s => $"{s.Name} {N(policy.Composite.AllocationFor(s.Name))}/s"))}), within {policy.Composite.MaxTotalSpansPerSecond} spans/s",
        "and" => $"and: all of {string.Join(", ", policy.AndSubPolicies.Select(s => s.Name))}",
        "not" => $"not: the opposite of {policy.NotSubPolicy?.Name}",
        "drop" => $"drop: Dropped (vetoes every other vote) when all of {string.Join(", ", policy.DropSubPolicies.Select(s => s.Name))} say yes",
        var other => other,
    };

    /// <summary>Whether the policy's vote depends on when it is taken (it keeps a rate budget on the lab clock).</summary>
    public static bool IsTimeBased(PolicyConfig policy) => policy.Type is "rate_limiting" or "bytes_limiting" or "composite";

    /// <summary>
    /// What a composite policy does that its config suggests otherwise (upstream composite_helper.go): a sub-policy
    /// missing from <c>rate_allocation</c> gets 0 spans/s and can never sample; <c>policy_order</c> is not used.
    /// </summary>
    public static IEnumerable<string> CompositeTraps(PolicyConfig composite)
    {
        var settings = composite.Composite;
        foreach (var sub in settings.SubPolicies.Where(s => settings.AllocationFor(s.Name) == 0))
        {
            yield return $"{composite.Name}: sub-policy {sub.Name} has no rate_allocation share, so upstream allots it 0 spans/s and it never samples (give it a percent)";
        }

        var declared = settings.SubPolicies.Select(s => s.Name).ToList();
        if (settings.PolicyOrder.Count > 0 && !settings.PolicyOrder.SequenceEqual(declared))
        {
            yield return $"{composite.Name}: policy_order [{string.Join(", ", settings.PolicyOrder)}] is not used upstream; sub-policies are tried in composite_sub_policy order [{string.Join(", ", declared)}]";
        }
    }

    private static string Bound(long value, string none) => value == 0 ? none : N(value);

    private static string Burst(long burst, long rate) => N(burst > 0 ? burst : rate * 2);

    private static string Invert(bool invert) => invert ? " — inverted: a match vetoes (InvertNotSampled), no match is InvertSampled" : string.Empty;

    private static string N(double value) => value.ToString(CultureInfo.InvariantCulture);
}
