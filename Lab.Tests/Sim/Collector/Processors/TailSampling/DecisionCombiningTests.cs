using OtelLab.Sim.Collector.Processors.TailSampling;
using OtelLab.Sim.Collector.Traces;
using static OtelLab.Tests.Sim.Collector.Processors.TailSampling.TestSpans;

namespace OtelLab.Tests.Sim.Collector.Processors.TailSampling;

[Trait("Category", "Unit")]
public sealed class DecisionCombiningTests
{
    private static readonly TraceId Trace = Id(7);

    // Policies whose votes are controlled by the span: ERROR status → "err" Sampled;
    // service ledger → "not-ledger" (invert) InvertNotSampled; attribute drop=yes → "dropper" Dropped.
    private static TailSamplingPolicySet Policies(bool sampleOnFirstMatch = false, bool withInvert = true)
    {
        var policies = new List<PolicyConfig>
        {
            new() { Name = "err", Type = "status_code", StatusCode = new(["ERROR"]) },
            new() { Name = "never", Type = "numeric_attribute", NumericAttribute = new("absent", MinValue: 1) },
        };
        if (withInvert)
        {
            policies.Add(new() { Name = "not-ledger", Type = "string_attribute", StringAttribute = new("service.name", ["ledger"], InvertMatch: true) });
        }

        policies.Add(new()
        {
            Name = "dropper",
            Type = "drop",
            DropSubPolicies = [new() { Name = "d", Type = "string_attribute", StringAttribute = new("drop", ["yes"]) }],
        });
        return TailSamplingPolicySet.Create(new TailSamplingConfig { Policies = policies, SampleOnFirstMatch = sampleOnFirstMatch });
    }

    [Fact]
    public void Drop_policies_are_evaluated_first_and_win()
    {
        var verdict = Policies().Decide(Trace, [Span(Trace, SpanStatusCode.Error, attributes: Attrs(("drop", "yes")))]);
        Assert.Equal(SamplingDecision.Dropped, verdict.Final);
        Assert.Equal("dropper", verdict.Votes[0].Policy);

        // upstream breaks out of the loop on Dropped: later policies do not vote
        Assert.All(verdict.Votes.Skip(1), v => Assert.Equal(SamplingDecision.Unspecified, v.Decision));
    }

    [Fact]
    public void Invert_not_sampled_beats_sampled()
    {
        var verdict = Policies().Decide(Trace, [Span(Trace, SpanStatusCode.Error, resource: TelemetryResource.ForService("ledger"))]);
        Assert.Equal(SamplingDecision.Sampled, verdict.VoteOf("err"));
        Assert.Equal(SamplingDecision.InvertNotSampled, verdict.VoteOf("not-ledger"));
        Assert.Equal(SamplingDecision.NotSampled, verdict.Final);
    }

    [Fact]
    public void Sampled_wins_over_not_sampled_and_names_the_first_sampling_policy()
    {
        var verdict = Policies(withInvert: false).Decide(Trace, [Span(Trace, SpanStatusCode.Error)]);
        Assert.Equal(SamplingDecision.Sampled, verdict.Final);
        Assert.Equal("err", verdict.SampledBy);
    }

    [Fact]
    public void Invert_sampled_samples_only_without_any_not_sampled_vote()
    {
        // "never" votes NotSampled, so the InvertSampled of "not-ledger" is not enough
        Assert.Equal(SamplingDecision.NotSampled, Policies().Decide(Trace, [Span(Trace)]).Final);

        var onlyInvert = TailSamplingPolicySet.Create(new TailSamplingConfig
        {
            Policies = [new() { Name = "not-ledger", Type = "string_attribute", StringAttribute = new("service.name", ["ledger"], InvertMatch: true) }],
        });
        var verdict = onlyInvert.Decide(Trace, [Span(Trace)]);
        Assert.Equal(SamplingDecision.Sampled, verdict.Final);
        Assert.Equal("not-ledger", verdict.SampledBy);
    }

    [Fact]
    public void Sample_on_first_match_stops_at_the_first_sampled_vote()
    {
        var verdict = Policies(sampleOnFirstMatch: true).Decide(Trace, [Span(Trace, SpanStatusCode.Error, resource: TelemetryResource.ForService("ledger"))]);

        // "err" samples before "not-ledger" could veto it
        Assert.Equal(SamplingDecision.Sampled, verdict.Final);
        Assert.Equal(SamplingDecision.Unspecified, verdict.VoteOf("not-ledger"));
    }

    [Fact]
    public void No_policies_means_not_sampled()
    {
        Assert.Equal(SamplingDecision.NotSampled, TailSamplingPolicySet.Create(new TailSamplingConfig()).Decide(Trace, [Span(Trace)]).Final);
    }
}
