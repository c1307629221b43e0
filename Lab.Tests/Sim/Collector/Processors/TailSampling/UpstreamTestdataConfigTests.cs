using OtelLab.Sim.Collector.Processors.TailSampling;
using OtelLab.Sim.Collector.Traces;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Sim.Collector.Processors.TailSampling;

/// <summary>
/// Upstream's processor/tailsamplingprocessor/testdata/tail_sampling_config.yaml (committed under Lab.Tests/testdata,
/// see its README), loaded as the sampling verb loads it and evaluated on a seeded population of traces.
/// </summary>
[Trait("Category", "Unit")]
public sealed class UpstreamTestdataConfigTests
{
    private const int Traces = 20_000;
    private static readonly TimeSpan Spacing = TimeSpan.FromMilliseconds(20); // 50 traces/s, about 650 spans/s

    public static string ConfigPath { get; } = Path.Combine(RepoPaths.Root, "Lab.Tests", "testdata", "tailsampling", "tail_sampling_config.yaml");

    [Fact]
    public void Loads_every_policy_of_upstream_testdata()
    {
        var definition = Assert.Single(TailSamplingDefinitions.Parse(File.ReadAllText(ConfigPath)));
        Assert.Equal("tail_sampling", definition.ComponentId);
        Assert.Equal(TimeSpan.FromSeconds(10), definition.Config.DecisionWait);
        Assert.Equal(100UL, definition.Config.NumTraces);
        Assert.Equal(
            ["always_sample", "latency", "numeric_attribute", "probabilistic", "status_code", "string_attribute", "rate_limiting",
             "span_count", "trace_state", "boolean_attribute", "ottl_condition", "and", "composite"],
            definition.Config.Policies.Select(p => p.Type));
        Assert.Equal(13, TailSamplingPolicySet.Create(definition.Config).PolicyNames.Count);
    }

    [Fact]
    public void Each_policy_votes_on_a_trace_population_as_upstream_defines_it()
    {
        // Given the upstream config and 20,000 seeded traces decided 20 ms apart on a manual clock
        var config = Assert.Single(TailSamplingDefinitions.Parse(File.ReadAllText(ConfigPath))).Config;
        var clock = new ManualTimeProvider();
        var policies = TailSamplingPolicySet.Create(config, clock);
        var random = new Random(20_251_204);
        var population = Enumerable.Range(1, Traces).Select(_ => Generate(new TraceId((ulong)random.NextInt64(), (ulong)random.NextInt64()), random)).ToList();

        // When every trace is decided
        var verdicts = new List<(GeneratedTrace Trace, TraceVerdict Verdict)>();
        var seconds = new List<long>();
        foreach (var trace in population)
        {
            seconds.Add(clock.GetUtcNow().ToUnixTimeSeconds());
            verdicts.Add((trace, policies.Decide(trace.Id, trace.Spans)));
            clock.Advance(Spacing);
        }

        // Then always_sample keeps every trace and is the first Sampled vote
        Assert.All(verdicts, v => Assert.Equal((SamplingDecision.Sampled, "test-policy-1"), (v.Verdict.Final, v.Verdict.SampledBy)));

        // And the deterministic policies vote exactly as their upstream definitions say
        AssertVotes(verdicts, "test-policy-2", t => t.DurationMs >= 5000);
        AssertVotes(verdicts, "test-policy-3", t => t.Key1 is >= 50 and <= 100);
        AssertVotes(verdicts, "test-policy-5", t => t.HasErrorOrUnset);
        AssertVotes(verdicts, "test-policy-6", t => t.Key2 is "value1" or "value2");
        AssertVotes(verdicts, "test-policy-8", t => t.Spans.Count is >= 2 and <= 20);
        AssertVotes(verdicts, "test-policy-9", t => t.Key3 is "value1" or "value2");
        AssertVotes(verdicts, "test-policy-10", t => t.Key4 == true);
        AssertVotes(verdicts, "test-policy-11", t => t.OttlHolds);
        AssertVotes(verdicts, "and-policy-1", t => t.Key1 is >= 50 and <= 100 && t.Key2 is "value1" or "value2");

        // And composite tries test-composite-policy-1 (key1 in [50, 100], 500 spans/s), then -2 (key2, 250 spans/s), then
        // always_sample, which has no rate_allocation entry and so 0 spans/s upstream; the first that matches decides,
        // Sampled while its spans in the current Unix second stay within its allocation
        var budgets = new long[2];
        long second = -1;
        var throttled = 0;
        var expectedComposite = new HashSet<TraceId>();
        for (var i = 0; i < verdicts.Count; i++)
        {
            var t = verdicts[i].Trace;
            (budgets, second) = seconds[i] == second ? (budgets, second) : (new long[2], seconds[i]);
            int? sub = t.Key1 is >= 50 and <= 100 ? 0 : t.Key2 is "value1" or "value2" ? 1 : null;
            if (sub is { } k && budgets[k] + t.Spans.Count <= (k == 0 ? 500 : 250))
            {
                budgets[k] += t.Spans.Count;
                expectedComposite.Add(t.Id);
            }
            else if (sub is not null)
            {
                throttled++;
            }
        }

        AssertVotes(verdicts, "composite-policy-1", t => expectedComposite.Contains(t.Id));
        Assert.InRange(throttled, 1, Traces / 100); // the 250 spans/s budget binds now and then at this load

        // And probabilistic keeps 0.1 % of trace ids: binomial(20,000, 0.001), mean 20, σ ≈ 4.47, ±4σ
        var kept = verdicts.Count(v => v.Verdict.VoteOf("test-policy-4") == SamplingDecision.Sampled);
        var sigma = Math.Sqrt(Traces * 0.001 * 0.999);
        Assert.InRange(kept, (Traces * 0.001) - (4 * sigma), (Traces * 0.001) + (4 * sigma));

        // And rate_limiting (35 spans/s, burst 70) keeps what a token bucket allows over the 400 s run: offered ~650
        // spans/s keeps it saturated, so at most 70 + 35·T and, as a trace of ≤ 25 spans passes whenever that many
        // tokens are there, at least 35·T − 70 − 25
        var limited = verdicts.Where(v => v.Verdict.VoteOf("test-policy-7") == SamplingDecision.Sampled).Sum(v => v.Trace.Spans.Count);
        var duration = Traces * Spacing.TotalSeconds;
        Assert.InRange(limited, (35 * duration) - 95, (35 * duration) + 70);
    }

    private static void AssertVotes(List<(GeneratedTrace Trace, TraceVerdict Verdict)> verdicts, string policy, Func<GeneratedTrace, bool> sampled)
    {
        var wrong = verdicts.Where(v => v.Verdict.VoteOf(policy) != (sampled(v.Trace) ? SamplingDecision.Sampled : SamplingDecision.NotSampled)).ToList();
        Assert.True(wrong.Count == 0, $"{policy}: {wrong.Count} of {verdicts.Count} votes differ, e.g. trace {wrong.FirstOrDefault().Trace?.Id} voted {wrong.FirstOrDefault().Verdict?.VoteOf(policy)}");
        var yes = verdicts.Count(v => sampled(v.Trace));
        Assert.True(yes > 0 && yes < verdicts.Count, $"{policy}: the population should hold both outcomes, has {yes} of {verdicts.Count}");
    }

    private static GeneratedTrace Generate(TraceId id, Random random)
    {
        const ulong epoch = 1_700_000_000_000_000_000UL;
        var resource = TelemetryResource.ForService("checkout");
        var count = random.Next(1, 26);
        var durationMs = random.Next(0, 8_000);
        long? key1 = random.NextDouble() < 0.3 ? random.Next(0, 151) : null;
        string? key2 = random.NextDouble() < 0.3 ? $"value{random.Next(1, 4)}" : null;
        string? key3 = random.NextDouble() < 0.2 ? $"value{random.Next(1, 4)}" : null;
        bool? key4 = random.NextDouble() < 0.2 ? random.Next(2) == 1 : null;
        var statusTwist = random.NextDouble() switch { < 0.1 => SpanStatusCode.Error, < 0.2 => SpanStatusCode.Unset, _ => SpanStatusCode.Ok };
        var quietOttl = random.NextDouble() < 0.5; // every span has test_attr_key_2 == test_attr_val_1
        var attrKey1 = random.NextDouble() < 0.1;
        var eventName = random.NextDouble() switch { < 0.2 => "test_span_event_name", < 0.3 => "other", _ => null };
        var carrier = random.Next(count);

        var spans = new List<TraceSpan>();
        for (var s = 0; s < count; s++)
        {
            var attributes = new Dictionary<string, AttributeValue>();
            if (quietOttl)
            {
                attributes["test_attr_key_2"] = "test_attr_val_1";
            }

            if (s == carrier)
            {
                Put(attributes, "key1", key1);
                Put(attributes, "key2", key2);
                Put(attributes, "key4", key4);
                if (attrKey1)
                {
                    attributes["test_attr_key_1"] = "test_attr_val_1";
                }
            }

            spans.Add(new TraceSpan
            {
                TraceId = id,
                SpanId = (ulong)(s + 1),
                ParentSpanId = s == 0 ? 0UL : 1UL,
                Name = s == 0 ? "root" : "child",
                Status = s == carrier ? statusTwist : SpanStatusCode.Ok,
                StartTimeUnixNano = epoch,
                EndTimeUnixNano = s == 0 ? epoch + ((ulong)durationMs * 1_000_000) : epoch,
                Resource = resource,
                Attributes = attributes,
                TraceState = s == carrier && key3 is not null ? $"key3={key3},other=x" : string.Empty,
                Events = s == carrier && eventName is not null
                    ? [new SpanEvent(eventName, epoch, new Dictionary<string, AttributeValue> { ["test_event_attr_key_2"] = "test_event_attr_val_1" })]
                    : [],
            });
        }

        // test-policy-11: a span with test_attr_key_1 == test_attr_val_1, or whose test_attr_key_2 is not
        // test_attr_val_1 (absent is nil, and nil != "..." holds); or an event not named test_span_event_name.
        var ottlHolds = attrKey1 || !quietOttl || eventName == "other";
        return new GeneratedTrace(id, spans, durationMs, key1, key2, key3, key4, statusTwist != SpanStatusCode.Ok, ottlHolds);
    }

    private static void Put(Dictionary<string, AttributeValue> attributes, string key, object? value)
    {
        switch (value)
        {
            case long l:
                attributes[key] = l;
                break;
            case string s:
                attributes[key] = s;
                break;
            case bool b:
                attributes[key] = b;
                break;
        }
    }

    private sealed record GeneratedTrace(
        TraceId Id, List<TraceSpan> Spans, int DurationMs, long? Key1, string? Key2, string? Key3, bool? Key4, bool HasErrorOrUnset, bool OttlHolds);
}
