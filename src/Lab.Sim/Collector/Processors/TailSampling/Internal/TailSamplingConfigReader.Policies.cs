using YamlDotNet.RepresentationModel;

namespace OtelLab.Sim.Collector.Processors.TailSampling.Internal;

/// <summary>
/// The policy sections of the processor config: upstream config.go PolicyCfg (shared sections plus composite, and,
/// not, drop), CompositeSubPolicyCfg (shared plus and) and the and/drop/not sub-policies (shared only).
/// </summary>
internal sealed partial class TailSamplingConfigReader
{
    private List<PolicyConfig> Policies(YamlNode value, string path, string[] allowedKeys)
    {
        if (value is not YamlSequenceNode sequence)
        {
            throw Error(value, path, $"'{path}' expected a list of policies, got {Describe(value)}");
        }

        var result = new List<PolicyConfig>();
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            result.Add(Policy(sequence.Children[i], $"{path}[{i}]", allowedKeys));
        }

        return result;
    }

    private PolicyConfig Policy(YamlNode node, string path, string[] allowedKeys)
    {
        var map = Mapping(node, path);
        CheckKeys(map, path, allowedKeys);
        var policy = new PolicyConfig
        {
            Name = string.Empty,
            Type = string.Empty,
            Path = path,
            Line = node.Start.Line + lineOffset,
            Column = node.Start.Column,
        };
        foreach (var (k, v) in map.Children)
        {
            var key = ((YamlScalarNode)k).Value ?? string.Empty;
            var keyPath = path + "." + key;
            if (IsNull(v))
            {
                continue;
            }

            policy = key switch
            {
                "name" => policy with { Name = String(v, keyPath) },
                "type" => policy with { Type = String(v, keyPath) },
                "latency" => policy with { Latency = Latency(v, keyPath) },
                "numeric_attribute" => policy with { NumericAttribute = NumericAttribute(v, keyPath) },
                "probabilistic" => policy with { Probabilistic = Probabilistic(v, keyPath) },
                "status_code" => policy with { StatusCode = StatusCode(v, keyPath) },
                "string_attribute" => policy with { StringAttribute = StringAttribute(v, keyPath) },
                "rate_limiting" => policy with { RateLimiting = RateLimiting(v, keyPath) },
                "bytes_limiting" => policy with { BytesLimiting = BytesLimiting(v, keyPath) },
                "span_count" => policy with { SpanCount = SpanCount(v, keyPath) },
                "trace_state" => policy with { TraceState = TraceState(v, keyPath) },
                "boolean_attribute" => policy with { BooleanAttribute = BooleanAttribute(v, keyPath) },
                "ottl_condition" => policy with { OttlCondition = OttlCondition(v, keyPath) },
                "and" => policy with { AndSubPolicies = SubPolicies(v, keyPath, "and_sub_policy", SharedPolicyKeys) },
                "drop" => policy with { DropSubPolicies = SubPolicies(v, keyPath, "drop_sub_policy", SharedPolicyKeys) },
                "not" => policy with { NotSubPolicy = NotSubPolicy(v, keyPath) },
                "composite" => policy with { Composite = Composite(v, keyPath) },
                _ => policy,
            };
        }

        return policy;
    }

    private List<PolicyConfig> SubPolicies(YamlNode value, string path, string listKey, string[] allowedKeys)
    {
        var map = Mapping(value, path);
        CheckKeys(map, path, [listKey]);
        var list = map.Children.TryGetValue(new YamlScalarNode(listKey), out var v) && !IsNull(v) ? v : null;
        return list is null ? [] : Policies(list, path + "." + listKey, allowedKeys);
    }

    private PolicyConfig? NotSubPolicy(YamlNode value, string path)
    {
        var map = Mapping(value, path);
        CheckKeys(map, path, ["not_sub_policy"]);
        return Entries(map).Select(e => Policy(e.Value, path + ".not_sub_policy", SharedPolicyKeys)).FirstOrDefault();
    }

    private CompositeSettings Composite(YamlNode value, string path)
    {
        var map = Mapping(value, path);
        CheckKeys(map, path, ["max_total_spans_per_second", "policy_order", "composite_sub_policy", "rate_allocation"]);
        var s = CompositeSettings.None;
        foreach (var (k, v) in Entries(map))
        {
            var p = path + "." + k;
            s = k switch
            {
                "max_total_spans_per_second" => s with { MaxTotalSpansPerSecond = Int64(v, p) },
                "policy_order" => s with { PolicyOrder = StringList(v, p) },
                "composite_sub_policy" => s with { SubPolicies = Policies(v, p, CompositeSubPolicyKeys) },
                _ => s with { RateAllocation = RateAllocations(v, p) },
            };
        }

        return s;
    }

    private List<RateAllocation> RateAllocations(YamlNode value, string path)
    {
        if (value is not YamlSequenceNode sequence)
        {
            throw Error(value, path, $"'{path}' source data must be an array or slice, got {Describe(value)}");
        }

        var result = new List<RateAllocation>();
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var p = $"{path}[{i}]";
            var map = Mapping(sequence.Children[i], p);
            CheckKeys(map, p, ["policy", "percent"]);
            var allocation = new RateAllocation();
            foreach (var (k, v) in Entries(map))
            {
                allocation = k == "policy" ? allocation with { Policy = String(v, p + "." + k) } : allocation with { Percent = Int64(v, p + "." + k) };
            }

            result.Add(allocation);
        }

        return result;
    }

    private RateLimitingSettings RateLimiting(YamlNode value, string path)
    {
        var map = Mapping(value, path);
        CheckKeys(map, path, ["spans_per_second", "burst_capacity"]);
        var s = new RateLimitingSettings();
        foreach (var (k, v) in Entries(map))
        {
            s = k == "spans_per_second" ? s with { SpansPerSecond = Int64(v, path + "." + k) } : s with { BurstCapacity = Int64(v, path + "." + k) };
        }

        return s;
    }

    private BytesLimitingSettings BytesLimiting(YamlNode value, string path)
    {
        var map = Mapping(value, path);
        CheckKeys(map, path, ["bytes_per_second", "burst_capacity"]);
        var s = new BytesLimitingSettings();
        foreach (var (k, v) in Entries(map))
        {
            s = k == "bytes_per_second" ? s with { BytesPerSecond = Int64(v, path + "." + k) } : s with { BurstCapacity = Int64(v, path + "." + k) };
        }

        return s;
    }

    private SpanCountSettings SpanCount(YamlNode value, string path)
    {
        var map = Mapping(value, path);
        CheckKeys(map, path, ["min_spans", "max_spans"]);
        var s = new SpanCountSettings();
        foreach (var (k, v) in Entries(map))
        {
            s = k == "min_spans" ? s with { MinSpans = Int32(v, path + "." + k) } : s with { MaxSpans = Int32(v, path + "." + k) };
        }

        return s;
    }

    private TraceStateSettings TraceState(YamlNode value, string path)
    {
        var map = Mapping(value, path);
        CheckKeys(map, path, ["key", "values"]);
        var s = TraceStateSettings.None;
        foreach (var (k, v) in Entries(map))
        {
            s = k == "key" ? s with { Key = String(v, path + "." + k) } : s with { Values = StringList(v, path + "." + k) };
        }

        return s;
    }

    private BooleanAttributeSettings BooleanAttribute(YamlNode value, string path)
    {
        var map = Mapping(value, path);
        CheckKeys(map, path, ["key", "value", "invert_match"]);
        var s = new BooleanAttributeSettings();
        foreach (var (k, v) in Entries(map))
        {
            var p = path + "." + k;
            s = k switch
            {
                "key" => s with { Key = String(v, p) },
                "value" => s with { Value = Bool(v, p) },
                _ => s with { InvertMatch = Bool(v, p) },
            };
        }

        return s;
    }

    private OttlConditionSettings OttlCondition(YamlNode value, string path)
    {
        var map = Mapping(value, path);
        CheckKeys(map, path, ["error_mode", "span", "spanevent"]);
        var s = OttlConditionSettings.None;
        foreach (var (k, v) in Entries(map))
        {
            var p = path + "." + k;
            s = k switch
            {
                "error_mode" => s with { ErrorMode = ErrorMode(v, p) },
                "span" => s with { SpanConditions = StringList(v, p) },
                _ => s with { SpanEventConditions = StringList(v, p) },
            };
        }

        return s;
    }

    // upstream pkg/ottl ErrorMode.UnmarshalText: lower-cased, one of ignore / silent / propagate.
    private string ErrorMode(YamlNode node, string path)
    {
        var mode = String(node, path).ToLowerInvariant();
        return mode is "ignore" or "silent" or "propagate"
            ? mode
            : throw Error(node, path, $"'{path}' unknown error mode {mode}", "set error_mode to ignore, silent or propagate");
    }

    private LatencySettings Latency(YamlNode value, string path)
    {
        var map = Mapping(value, path);
        CheckKeys(map, path, ["threshold_ms", "upper_threshold_ms"]);
        var s = new LatencySettings();
        foreach (var (k, v) in Entries(map))
        {
            s = k == "threshold_ms" ? s with { ThresholdMs = Int64(v, path + "." + k) } : s with { UpperThresholdMs = Int64(v, path + "." + k) };
        }

        return s;
    }

    private NumericAttributeSettings NumericAttribute(YamlNode value, string path)
    {
        var map = Mapping(value, path);
        CheckKeys(map, path, ["key", "min_value", "max_value", "invert_match"]);
        var s = new NumericAttributeSettings();
        foreach (var (k, v) in Entries(map))
        {
            var p = path + "." + k;
            s = k switch
            {
                "key" => s with { Key = String(v, p) },
                "min_value" => s with { MinValue = Int64(v, p) },
                "max_value" => s with { MaxValue = Int64(v, p) },
                _ => s with { InvertMatch = Bool(v, p) },
            };
        }

        return s;
    }

    private ProbabilisticSettings Probabilistic(YamlNode value, string path)
    {
        var map = Mapping(value, path);
        CheckKeys(map, path, ["hash_salt", "sampling_percentage"]);
        var s = new ProbabilisticSettings();
        foreach (var (k, v) in Entries(map))
        {
            s = k == "hash_salt" ? s with { HashSalt = String(v, path + "." + k) } : s with { SamplingPercentage = Float64(v, path + "." + k) };
        }

        return s;
    }

    private StatusCodeSettings StatusCode(YamlNode value, string path)
    {
        var map = Mapping(value, path);
        CheckKeys(map, path, ["status_codes"]);
        var codes = Entries(map).Select(e => StringList(e.Value, path + ".status_codes")).FirstOrDefault() ?? [];
        return new StatusCodeSettings(codes);
    }

    private StringAttributeSettings StringAttribute(YamlNode value, string path)
    {
        var map = Mapping(value, path);
        CheckKeys(map, path, ["key", "values", "enabled_regex_matching", "cache_max_size", "invert_match"]);
        var s = StringAttributeSettings.None;
        foreach (var (k, v) in Entries(map))
        {
            var p = path + "." + k;
            s = k switch
            {
                "key" => s with { Key = String(v, p) },
                "values" => s with { Values = StringList(v, p) },
                "enabled_regex_matching" => s with { EnabledRegexMatching = Bool(v, p) },
                "cache_max_size" => s with { CacheMaxSize = Int32(v, p) },
                _ => s with { InvertMatch = Bool(v, p) },
            };
        }

        return s;
    }
}
