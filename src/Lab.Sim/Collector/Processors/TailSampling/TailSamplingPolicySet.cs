using OtelLab.Sim.Collector.Processors.TailSampling.Internal;
using OtelLab.Sim.Collector.Processors.TailSampling.Internal.Ottl;
using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Sim.Collector.Processors.TailSampling;

/// <summary>
/// The configured policies, built and combined as upstream does: processor.go loadSamplingPolicy (names required
/// and unique; drop policies evaluated first), getSharedPolicyEvaluator, and makeDecision.
/// </summary>
public sealed class TailSamplingPolicySet
{
    /// <summary>The policy types the lab emulates (upstream names): every type upstream ships.</summary>
    public static readonly IReadOnlyList<string> EmulatedTypes =
    [
        "always_sample", "latency", "numeric_attribute", "probabilistic", "status_code", "string_attribute", "rate_limiting",
        "bytes_limiting", "span_count", "trace_state", "trace_flags", "boolean_attribute", "ottl_condition", "composite", "and",
        "not", "drop",
    ];

    private readonly (string Name, IPolicyEvaluator Evaluator)[] _policies;
    private readonly bool _sampleOnFirstMatch;
    private readonly TimeProvider _clock;

    private TailSamplingPolicySet((string, IPolicyEvaluator)[] policies, bool sampleOnFirstMatch, TimeProvider clock)
    {
        _policies = policies;
        _sampleOnFirstMatch = sampleOnFirstMatch;
        _clock = clock;
    }

    /// <summary>Policy names in evaluation order (drop policies first).</summary>
    public IReadOnlyList<string> PolicyNames => [.. _policies.Select(p => p.Name)];

    /// <summary>
    /// Builds the evaluators. Throws <see cref="TailSamplingConfigException"/> with upstream's texts, e.g.
    /// <c>failed to create policy evaluator for "errors": expected at least one status code to filter on</c>.
    /// </summary>
    public static TailSamplingPolicySet Create(TailSamplingConfig config, TimeProvider? clock = null)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var drops = new List<(string, IPolicyEvaluator)>();
        var others = new List<(string, IPolicyEvaluator)>();
        foreach (var policy in config.Policies)
        {
            if (policy.Name.Length == 0)
            {
                throw Error(policy, "policy name cannot be empty", "give every policy a unique `name:`");
            }

            if (!names.Add(policy.Name))
            {
                throw Error(policy, $"duplicate policy name \"{policy.Name}\"", "rename one of the policies");
            }

            IPolicyEvaluator evaluator;
            try
            {
                evaluator = Build(policy, clock ?? TimeProvider.System);
            }
            catch (ArgumentException ex)
            {
                throw Error(policy, $"failed to create policy evaluator for \"{policy.Name}\": {ex.Message}", FixFor(ex.Message));
            }

            (policy.Type == "drop" ? drops : others).Add((policy.Name, evaluator));
        }

        // upstream: "Dropped decision takes precedence over all others, therefore we evaluate them first."
        return new TailSamplingPolicySet([.. drops, .. others], config.SampleOnFirstMatch, clock ?? TimeProvider.System);
    }

    /// <summary>upstream processor.go makeDecision: evaluate every policy, then combine the votes.</summary>
    public TraceVerdict Decide(TraceId traceId, IReadOnlyList<TraceSpan> spans)
    {
        var votes = new PolicyVote[_policies.Length];
        var started = _clock.GetTimestamp();
        int? firstSampled = null;
        int? firstInvertSampled = null;
        bool dropped = false, invertNotSampled = false, notSampled = false;
        var evaluated = 0;
        for (; evaluated < _policies.Length; evaluated++)
        {
            var (name, evaluator) = _policies[evaluated];
            var decision = evaluator.Evaluate(traceId, spans);
            var elapsed = (long)_clock.GetElapsedTime(started).TotalMicroseconds;
            votes[evaluated] = new PolicyVote(name, decision, elapsed);
            switch (decision)
            {
                case SamplingDecision.Dropped:
                    dropped = true;
                    break;
                case SamplingDecision.InvertNotSampled:
                    invertNotSampled = true;
                    break;
                case SamplingDecision.NotSampled:
                    notSampled = true;
                    break;
                case SamplingDecision.Sampled:
                    firstSampled ??= evaluated;
                    break;
                case SamplingDecision.InvertSampled:
                    firstInvertSampled ??= evaluated;
                    break;
            }

            // upstream: break early on Dropped; and on Sampled when sample_on_first_match.
            if (dropped || (_sampleOnFirstMatch && decision == SamplingDecision.Sampled))
            {
                evaluated++;
                break;
            }
        }

        for (var i = evaluated; i < votes.Length; i++)
        {
            votes[i] = new PolicyVote(_policies[i].Name, SamplingDecision.Unspecified, 0);
        }

        // upstream precedence: Dropped > InvertNotSampled > Sampled > (InvertSampled and no NotSampled) > NotSampled.
        var (final, by) = true switch
        {
            _ when dropped => (SamplingDecision.Dropped, (int?)null),
            _ when invertNotSampled => (SamplingDecision.NotSampled, null),
            _ when firstSampled is not null => (SamplingDecision.Sampled, firstSampled),
            _ when firstInvertSampled is not null && !notSampled => (SamplingDecision.Sampled, firstInvertSampled),
            _ => (SamplingDecision.NotSampled, null),
        };
        return new TraceVerdict(final, votes, by is { } index ? _policies[index].Name : null);
    }

    // upstream processor.go getPolicyEvaluator: the combining policies, else a shared one.
    private static IPolicyEvaluator Build(PolicyConfig policy, TimeProvider clock) => policy.Type switch
    {
        "composite" => Composite(policy.Composite, clock),
        "and" => AllOfEvaluator.And([.. policy.AndSubPolicies.Select(p => BuildShared(p, clock))]),
        "drop" => AllOfEvaluator.Drop([.. policy.DropSubPolicies.Select(p => BuildShared(p, clock))]),
        "not" => new NotEvaluator(BuildShared(policy.NotSubPolicy ?? throw new ArgumentException("unknown sampling policy type "), clock)),
        _ => BuildShared(policy, clock),
    };

    // upstream composite_helper.go: sub-policies may be shared ones or and; each gets its rate allocation.
    private static CompositeEvaluator Composite(CompositeSettings settings, TimeProvider clock) => new(
        settings.MaxTotalSpansPerSecond,
        [.. settings.SubPolicies.Select(p => (
            p.Type == "and" ? AllOfEvaluator.And([.. p.AndSubPolicies.Select(s => BuildShared(s, clock))]) : BuildShared(p, clock),
            settings.AllocationFor(p.Name)))],
        clock);

    // upstream getSharedPolicyEvaluator: what and/drop/not sub-policies may be.
    private static IPolicyEvaluator BuildShared(PolicyConfig policy, TimeProvider clock)
    {
        switch (policy.Type)
        {
            case "always_sample":
                return new AlwaysSampleEvaluator();
            case "latency":
                return new LatencyEvaluator(policy.Latency.ThresholdMs, policy.Latency.UpperThresholdMs);
            case "numeric_attribute":
                var n = policy.NumericAttribute;
                return new NumericAttributeEvaluator(n.Key, n.MinValue, n.MaxValue, n.InvertMatch);
            case "probabilistic":
                if (double.IsNaN(policy.Probabilistic.SamplingPercentage))
                {
                    throw new ArgumentException("sampling_percentage is NaN (big.NewFloat panics upstream)");
                }

                return new ProbabilisticEvaluator(policy.Probabilistic.HashSalt, policy.Probabilistic.SamplingPercentage);
            case "status_code":
                return StatusCodeEvaluator.Create(policy.StatusCode.StatusCodes);
            case "string_attribute":
                var s = policy.StringAttribute;
                return new StringAttributeEvaluator(s.Key, s.Values, s.EnabledRegexMatching, s.CacheMaxSize, s.InvertMatch);
            case "rate_limiting":
                return new RateLimitingEvaluator(policy.RateLimiting.SpansPerSecond, policy.RateLimiting.BurstCapacity, clock);
            case "bytes_limiting":
                return new BytesLimitingEvaluator(policy.BytesLimiting.BytesPerSecond, policy.BytesLimiting.BurstCapacity, clock);
            case "span_count":
                return new SpanCountEvaluator(policy.SpanCount.MinSpans, policy.SpanCount.MaxSpans);
            case "trace_state":
                return new TraceStateEvaluator(policy.TraceState.Key, policy.TraceState.Values);
            case "trace_flags":
                return new TraceFlagsEvaluator();
            case "boolean_attribute":
                var b = policy.BooleanAttribute;
                return new BooleanAttributeEvaluator(b.Key, b.Value, b.InvertMatch);
            case "ottl_condition":
                return new OttlConditionEvaluator(policy.OttlCondition);
            default:
                throw new ArgumentException($"unknown sampling policy type {policy.Type}");
        }
    }

    private static string? FixFor(string message) => message switch
    {
        _ when message.Contains("status code", StringComparison.Ordinal) => "use status_codes: [ERROR], [OK] and/or [UNSET] (upper case)",
        _ when message.StartsWith("unknown sampling policy type", StringComparison.Ordinal) => $"set type: to one of {string.Join(", ", EmulatedTypes)}",
        _ when message.Contains("minValue or maxValue", StringComparison.Ordinal) => "set numeric_attribute.min_value and/or max_value to a non-zero value",
        _ when message.StartsWith("regexp:", StringComparison.Ordinal) => "fix the regular expression (RE2 syntax) or set enabled_regex_matching: false",
        _ when message.Contains("OTTL condition", StringComparison.Ordinal) && message.Contains("not emulated", StringComparison.Ordinal) =>
            "rewrite the condition with what the lab emulates (comparisons, and/or/not, IsMatch, IsRootSpan), or check it against a real collector",
        _ when message.Contains("OTTL condition", StringComparison.Ordinal) => "fix the OTTL syntax: double-quoted strings, == != < <= > >=, and / or / not",
        _ => null,
    };

    private static TailSamplingConfigException Error(PolicyConfig policy, string message, string? fix) =>
        new(message, policy.Path, policy.Line, policy.Column) { Fix = fix };
}
