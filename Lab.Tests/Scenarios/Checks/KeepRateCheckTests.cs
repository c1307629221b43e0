using OtelLab.Model;
using OtelLab.Scenarios.Checks;
using OtelLab.Scenarios.Monitoring;

namespace OtelLab.Tests.Scenarios.Checks;

/// <summary>The keep-rate check's judgement on constructed tallies: 100 % classes, the binomial band, and skips.</summary>
[Trait("Category", "Unit")]
public sealed class KeepRateCheckTests
{
    private static readonly (string, SourceLocation) At = ("OpenTelemetryCollector observability/otel-gateway", SourceLocation.None);
    private readonly KeepRateCheck _check = new();

    [Fact]
    public void Baseline_inside_three_sigma_passes_and_states_the_band()
    {
        // Given 1000 baseline traces at p = 10 %: 3σ = 3·sqrt(0.1·0.9/1000) ≈ 2.85 %; 120 kept (12 %) is inside
        var rows = Rows(error: (40, 40), slow: (35, 35), baseline: (1000, 120));

        // When judged
        var result = _check.Judge(rows, 0.10, At);

        // Then it passes and the summary carries the derivation
        Assert.Equal(CheckOutcome.Pass, result.Outcome);
        Assert.Contains("3·sqrt(p(1−p)/n)", result.Summary, StringComparison.Ordinal);
        Assert.Contains("2.85", result.Summary, StringComparison.Ordinal);
        Assert.Equal(2.846, Assert.Single(result.Figures, f => f.Name == "baseline tolerance (3σ)").Value, 3);
    }

    [Fact]
    public void Baseline_outside_three_sigma_fails_with_a_finding()
    {
        // Given 1000 baseline traces at p = 10 % and 140 kept (14 %, 4 points over a 2.85 % band)
        var result = _check.Judge(Rows(error: (40, 40), slow: (35, 35), baseline: (1000, 140)), 0.10, At);

        // Then it fails, pointing at the tail_sampling processor, with the figures as evidence
        Assert.Equal(CheckOutcome.Fail, result.Outcome);
        var finding = Assert.Single(result.Findings);
        Assert.Equal("keep-rate", finding.RuleId);
        Assert.Contains(finding.Evidence, e => e.StartsWith("baseline: kept 140 of 1000", StringComparison.Ordinal));
        Assert.False(string.IsNullOrEmpty(finding.Fix));
    }

    [Fact]
    public void One_error_trace_not_kept_fails_even_with_few_traces()
    {
        var result = _check.Judge(Rows(error: (5, 4), slow: (0, 0), baseline: (1000, 100)), 0.10, At);

        Assert.Equal(CheckOutcome.Fail, result.Outcome);
        Assert.Contains(Assert.Single(result.Findings).Evidence, e => e.StartsWith("error: kept 4 of 5", StringComparison.Ordinal));
    }

    [Fact]
    public void Classes_with_too_few_traces_are_skipped_not_passed()
    {
        // Given errors all kept but only 5 of them, no slow traces, and 50 baseline traces (p = 10 % needs n ≥ 100)
        var result = _check.Judge(Rows(error: (5, 5), slow: (0, 0), baseline: (50, 5)), 0.10, At);

        // Then nothing was judged: the check is skipped and says why for each class
        Assert.Equal(CheckOutcome.Skipped, result.Outcome);
        Assert.Contains("error: kept 5 of 5, too few to judge", result.Summary, StringComparison.Ordinal);
        Assert.Contains("slow: no traces", result.Summary, StringComparison.Ordinal);
        Assert.Contains("n ≥ 100", result.Summary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.10, 100)]
    [InlineData(0.5, 20)]
    [InlineData(0.99, 1000)]
    [InlineData(1.0, 1)]
    public void The_minimum_sample_makes_n_p_and_n_1_minus_p_at_least_ten(double p, long n) =>
        Assert.Equal(n, KeepRateCheck.MinTracesFor(p));

    private static List<KeepRateRow> Rows((long N, long Kept) error, (long N, long Kept) slow, (long N, long Kept) baseline) =>
        [new("error", error.N, error.Kept), new("slow", slow.N, slow.Kept), new("baseline", baseline.N, baseline.Kept)];
}
