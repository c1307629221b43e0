using OtelLab.Sim.Collector.Processors.TailSampling;
using OtelLab.Sim.Collector.Processors.TailSampling.Internal;
using OtelLab.Sim.Collector.Traces;
using OtelLab.Tests.Support;
using static OtelLab.Tests.Sim.Collector.Processors.TailSampling.TestSpans;

namespace OtelLab.Tests.Sim.Collector.Processors.TailSampling;

/// <summary>composite: per-sub-policy spans-per-second budgets, reset each Unix second of the lab clock.</summary>
[Trait("Category", "Unit")]
public sealed class CompositePolicyTests
{
    private static readonly TraceId Trace = Id(3);

    // composite_test.go's sub-policies: a numeric "tag" filter in [0, 100] (here an unbounded lower end, which no
    // vector below tells apart) and always_sample.
    private static readonly NumericAttributeEvaluator TagUpTo100 = new("tag", 0, 100, invertMatch: false);

    private static TraceSpan[] OneSpan() => [Span(Trace)];

    private static TraceSpan[] Tagged(long tag) => [Span(Trace, attributes: Attrs(("tag", tag)))];

    private static CompositeEvaluator Composite(ManualTimeProvider clock, long maxTotal, params (IPolicyEvaluator, long)[] subPolicies) =>
        new(maxTotal, subPolicies, clock);

    [Fact]
    public void Votes_of_upstream_composite_test_without_throttling()
    {
        var clock = new ManualTimeProvider();

        // TestCompositeEvaluatorNotSampled: neither numeric filter matches a trace without the tag
        Assert.Equal(SamplingDecision.NotSampled, Composite(clock, 1000, (TagUpTo100, 100), (new NumericAttributeEvaluator("tag", 200, 300, false), 100)).Evaluate(Trace, OneSpan()));

        // TestCompositeEvaluatorSampled: the second sub-policy (always_sample) samples
        Assert.Equal(SamplingDecision.Sampled, Composite(clock, 1000, (TagUpTo100, 100), (new AlwaysSampleEvaluator(), 100)).Evaluate(Trace, OneSpan()));

        // TestCompositeEvaluatorInverseSampled_AlwaysSampled: an InvertSampled vote counts as a yes
        var foo = new StringAttributeEvaluator("tag", ["foo"], false, 0, invertMatch: false);
        var notFoo = new StringAttributeEvaluator("tag", ["foo"], false, 0, invertMatch: true);
        var inverse = Composite(clock, 10, (foo, 20), (notFoo, 20));
        Assert.All(Enumerable.Range(0, 10), _ => Assert.Equal(SamplingDecision.Sampled, inverse.Evaluate(Trace, OneSpan())));
    }

    [Fact]
    public void The_first_matching_sub_policy_decides_even_when_over_its_budget()
    {
        // TestCompositeEvaluator_OverflowAlwaysSampled: total 3, one span/s each
        var clock = new ManualTimeProvider();
        var composite = Composite(clock, 3, (TagUpTo100, 1), (new AlwaysSampleEvaluator(), 1));
        Assert.Equal(SamplingDecision.Sampled, composite.Evaluate(Trace, Tagged(10)));
        Assert.Equal(SamplingDecision.NotSampled, composite.Evaluate(Trace, Tagged(11))); // always_sample is not tried
        Assert.Equal(SamplingDecision.Sampled, composite.Evaluate(Trace, Tagged(1001)));
    }

    [Fact]
    public void Budgets_reset_each_second()
    {
        // TestCompositeEvaluatorThrottling: one always_sample sub-policy with the whole 10 spans/s
        var clock = new ManualTimeProvider();
        var composite = Composite(clock, 10, (new AlwaysSampleEvaluator(), 10));
        Assert.Equal(Repeat(SamplingDecision.Sampled, 10), Evaluate(composite, 10));
        Assert.Equal(Repeat(SamplingDecision.NotSampled, 10), Evaluate(composite, 10));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(Repeat(SamplingDecision.Sampled, 10), Evaluate(composite, 10));
    }

    [Fact]
    public void Each_sub_policy_has_its_own_allocation()
    {
        // TestCompositeEvaluator2SubpolicyThrottling: 10 spans/s split 5 / 5; untagged traces reach always_sample only
        var clock = new ManualTimeProvider();
        var composite = Composite(clock, 10, (TagUpTo100, 5), (new AlwaysSampleEvaluator(), 5));
        Assert.Equal(Repeat(SamplingDecision.Sampled, 5), Evaluate(composite, 5));
        Assert.Equal(Repeat(SamplingDecision.NotSampled, 5), Evaluate(composite, 5));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(Repeat(SamplingDecision.Sampled, 5), Evaluate(composite, 5));
        Assert.Equal(Repeat(SamplingDecision.NotSampled, 20), Evaluate(composite, 20));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(Repeat(SamplingDecision.Sampled, 5), Evaluate(composite, 5));
    }

    [Fact]
    public void The_window_is_the_unix_second_not_a_second_since_the_first_trace()
    {
        // Given a budget spent 900 ms into a second
        var clock = new ManualTimeProvider();
        clock.Advance(TimeSpan.FromMilliseconds(900));
        var composite = Composite(clock, 2, (new AlwaysSampleEvaluator(), 2));
        Assert.Equal(Repeat(SamplingDecision.Sampled, 2), Evaluate(composite, 2));
        Assert.Equal(SamplingDecision.NotSampled, composite.Evaluate(Trace, OneSpan()));

        // When the clock crosses into the next Unix second 100 ms later, Then the budget is whole again
        clock.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(SamplingDecision.Sampled, composite.Evaluate(Trace, OneSpan()));
    }

    [Theory]
    [InlineData("a", 500)] // 50 % of 1000
    [InlineData("b", 250)] // 25 %
    [InlineData("c", 333)] // percent 0: an equal share, 1000 / 3 truncated
    [InlineData("d", 0)] // not in rate_allocation: nothing
    public void Rate_allocation_is_a_percent_of_the_total(string subPolicy, long expected)
    {
        var settings = new CompositeSettings(
            1000,
            [],
            [new() { Name = "a", Type = "always_sample" }, new() { Name = "b", Type = "always_sample" }, new() { Name = "c", Type = "always_sample" }],
            [new("a", 50), new("b", 25), new("c", 0)]);
        Assert.Equal(expected, settings.AllocationFor(subPolicy));
    }

    private static SamplingDecision[] Repeat(SamplingDecision decision, int n) => [.. Enumerable.Repeat(decision, n)];

    private static SamplingDecision[] Evaluate(CompositeEvaluator composite, int traces) =>
        [.. Enumerable.Range(0, traces).Select(_ => composite.Evaluate(Trace, OneSpan()))];
}
