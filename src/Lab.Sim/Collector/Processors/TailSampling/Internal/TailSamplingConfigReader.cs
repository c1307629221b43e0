using System.Globalization;
using OtelLab.Model.Go;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OtelLab.Sim.Collector.Processors.TailSampling.Internal;

/// <summary>
/// Decodes the processor's YAML the way the collector's confmap + mapstructure do (ErrorUnused: unknown keys fail;
/// no weak typing for numbers and booleans). Keys and sections: upstream config.go (Config, PolicyCfg, sharedPolicyCfg).
/// </summary>
internal sealed partial class TailSamplingConfigReader(long lineOffset)
{
    private static readonly string[] TopLevelKeys =
    [
        "decision_wait", "num_traces", "expected_new_traces_per_sec", "policies", "decision_cache",
        "sample_on_first_match", "drop_pending_traces_on_shutdown", "block_on_overflow",
    ];

    // upstream sharedPolicyCfg: what and/drop/not sub-policies may carry (trace_flags has no section of its own).
    private static readonly string[] SharedPolicyKeys =
    [
        "name", "type", "latency", "numeric_attribute", "probabilistic", "status_code", "string_attribute",
        "rate_limiting", "bytes_limiting", "span_count", "trace_state", "boolean_attribute", "ottl_condition",
    ];

    // upstream CompositeSubPolicyCfg: shared plus and.
    private static readonly string[] CompositeSubPolicyKeys = [.. SharedPolicyKeys, "and"];

    // upstream PolicyCfg: shared plus the combining policies.
    private static readonly string[] PolicyKeys = [.. SharedPolicyKeys, "composite", "and", "not", "drop"];

    public TailSamplingConfig Read(YamlMappingNode? node)
    {
        var config = new TailSamplingConfig();
        if (node is null)
        {
            return config;
        }

        CheckKeys(node, string.Empty, TopLevelKeys);
        foreach (var (keyNode, value) in node.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value ?? string.Empty;
            if (IsNull(value))
            {
                continue;
            }

            config = key switch
            {
                "decision_wait" => config with { DecisionWait = Duration(value, key) },
                "num_traces" => config with { NumTraces = UInt64(value, key) },
                "expected_new_traces_per_sec" => config with { ExpectedNewTracesPerSec = UInt64(value, key) },
                "policies" => config with { Policies = Policies(value, "policies", PolicyKeys) },
                "decision_cache" => DecisionCache(config, value),
                "sample_on_first_match" => config with { SampleOnFirstMatch = Bool(value, key) },
                _ => config, // drop_pending_traces_on_shutdown, block_on_overflow: accepted, not emulated
            };
        }

        if (config.NumTraces == 0)
        {
            // upstream drop_old_traces_limiter.go: make(chan TraceID, 0) then a blocking receive — the processor
            // would hang on the first trace. The lab refuses it instead of emulating a hang.
            throw Error(node, "num_traces", "num_traces must be at least 1: with 0 the upstream processor blocks on the first trace (drop_old_traces_limiter.go)");
        }

        return config;
    }

    private TailSamplingConfig DecisionCache(TailSamplingConfig config, YamlNode value)
    {
        var map = Mapping(value, "decision_cache");
        CheckKeys(map, "decision_cache", ["sampled_cache_size", "non_sampled_cache_size"]);
        foreach (var (k, v) in map.Children)
        {
            var key = ((YamlScalarNode)k).Value;
            var path = "decision_cache." + key;
            config = key switch
            {
                "sampled_cache_size" => config with { SampledCacheSize = Int32(v, path) },
                _ => config with { NonSampledCacheSize = Int32(v, path) },
            };
        }

        return config;
    }

    private static IEnumerable<(string Key, YamlNode Value)> Entries(YamlMappingNode map) =>
        map.Children.Where(kv => !IsNull(kv.Value)).Select(kv => (((YamlScalarNode)kv.Key).Value ?? string.Empty, kv.Value));

    private YamlMappingNode Mapping(YamlNode node, string path) =>
        node as YamlMappingNode ?? throw Error(node, path, $"'{path}' expected a map, got {Describe(node)}");

    private void CheckKeys(YamlMappingNode map, string path, string[] allowed)
    {
        var invalid = map.Children.Keys
            .Select(k => k is YamlScalarNode s ? s.Value ?? string.Empty : "?")
            .Where(k => !allowed.Contains(k, StringComparer.Ordinal))
            .ToList();
        if (invalid.Count > 0)
        {
            // upstream (mapstructure ErrorUnused): "'<path>' has invalid keys: a, b"
            throw new TailSamplingConfigException($"'{path}' has invalid keys: {string.Join(", ", invalid)}", path, map.Start.Line + lineOffset, map.Start.Column)
            {
                Fix = $"remove or correct the key(s); valid keys here: {string.Join(", ", allowed)}",
            };
        }
    }

    private string String(YamlNode node, string path) =>
        node is YamlScalarNode s ? s.Value ?? string.Empty : throw Error(node, path, $"'{path}' expected a string, got {Describe(node)}");

    private List<string> StringList(YamlNode node, string path) =>
        node is YamlSequenceNode seq
            ? [.. seq.Children.Select((c, i) => String(c, $"{path}[{i}]"))]
            : throw Error(node, path, $"'{path}' source data must be an array or slice, got {Describe(node)}");

    private bool Bool(YamlNode node, string path) => Plain(node, path, "bool") switch
    {
        "true" or "True" or "TRUE" => true,
        "false" or "False" or "FALSE" => false,
        _ => throw Error(node, path, $"'{path}' expected type 'bool', got unconvertible type 'string', value: '{((YamlScalarNode)node).Value}'"),
    };

    private long Int64(YamlNode node, string path) =>
        ParseInteger(Plain(node, path, "int64"), out var v) && v >= long.MinValue && v <= long.MaxValue
            ? (long)v
            : throw Error(node, path, $"'{path}' expected type 'int64', got '{((YamlScalarNode)node).Value}'");

    private int Int32(YamlNode node, string path) =>
        ParseInteger(Plain(node, path, "int"), out var v) && v >= int.MinValue && v <= int.MaxValue
            ? (int)v
            : throw Error(node, path, $"'{path}' expected type 'int', got '{((YamlScalarNode)node).Value}'");

    private ulong UInt64(YamlNode node, string path)
    {
        var text = Plain(node, path, "uint64");
        if (!ParseInteger(text, out var v))
        {
            throw Error(node, path, $"'{path}' expected type 'uint64', got '{text}'");
        }

        return v >= 0 && v <= ulong.MaxValue
            ? (ulong)v
            : throw Error(node, path, $"cannot parse '{path}', {text} overflows uint");
    }

    private double Float64(YamlNode node, string path)
    {
        var text = Plain(node, path, "float64").Replace("_", string.Empty, StringComparison.Ordinal);
        var value = text switch
        {
            ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF" => double.PositiveInfinity,
            "-.inf" or "-.Inf" or "-.INF" => double.NegativeInfinity,
            ".nan" or ".NaN" or ".NAN" => double.NaN,
            _ when ParseInteger(text, out var i) => (double)i,
            _ when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
            _ => throw Error(node, path, $"'{path}' expected type 'float64', got '{text}'"),
        };
        return value;
    }

    private TimeSpan Duration(YamlNode node, string path)
    {
        var scalar = node as YamlScalarNode ?? throw Error(node, path, $"'{path}' expected a duration, got {Describe(node)}");
        var text = scalar.Value ?? string.Empty;
        if (scalar.Style is ScalarStyle.Plain && ParseInteger(text, out var nanos))
        {
            // mapstructure: an integer decodes straight into time.Duration, i.e. nanoseconds.
            return TimeSpan.FromTicks((long)(nanos / 100));
        }

        return GoDuration.TryParse(text, out var d, out var error)
            ? d
            : throw Error(node, path, error, "write a Go duration such as 10s, 500ms or 1m30s");
    }

    private string Plain(YamlNode node, string path, string type)
    {
        if (node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any } s)
        {
            return s.Value ?? string.Empty;
        }

        throw Error(node, path, node is YamlScalarNode q
            ? $"'{path}' expected type '{type}', got unconvertible type 'string', value: '{q.Value}'"
            : $"'{path}' expected type '{type}', got {Describe(node)}");
    }

    // yaml.v3 resolve: decimal, 0x/0o/0b prefixes, '_' separators ignored, optional sign.
    private static bool ParseInteger(string text, out System.Numerics.BigInteger value)
    {
        value = default;
        var t = text.Replace("_", string.Empty, StringComparison.Ordinal);
        var negative = t.StartsWith('-');
        if (negative || t.StartsWith('+'))
        {
            t = t[1..];
        }

        (int radix, string digits) = t.Length > 2 && t[0] == '0' && (t[1] is 'x' or 'o' or 'b')
            ? (t[1] switch { 'x' => 16, 'o' => 8, _ => 2 }, t[2..])
            : (10, t);
        if (digits.Length == 0)
        {
            return false;
        }

        foreach (var c in digits)
        {
            var d = char.IsAsciiDigit(c) ? c - '0' : char.IsAsciiHexDigit(c) ? char.ToLowerInvariant(c) - 'a' + 10 : 99;
            if (d >= radix)
            {
                return false;
            }

            value = (value * radix) + d;
        }

        value = negative ? -value : value;
        return true;
    }

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any } s
        && (s.Value is null or "" or "~" or "null" or "Null" or "NULL");

    private static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a map",
        YamlSequenceNode => "a list",
        YamlScalarNode s => $"'{s.Value}'",
        _ => node.NodeType.ToString(),
    };

    private TailSamplingConfigException Error(YamlNode node, string path, string message, string? fix = null) =>
        new(message, path, node.Start.Line + lineOffset, node.Start.Column) { Fix = fix };
}
