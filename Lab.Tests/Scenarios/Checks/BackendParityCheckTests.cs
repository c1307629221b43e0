using OtelLab.Backends.Capture;
using OtelLab.Lint;
using OtelLab.Scenarios.Checks;

namespace OtelLab.Tests.Scenarios.Checks;

/// <summary>The backend-parity judgement on constructed capture summaries.</summary>
[Trait("Category", "Unit")]
public sealed class BackendParityCheckTests
{
    private readonly BackendParityCheck _check = new();

    private static CaptureSummary Summary(string backend, params (string Service, long Spans)[] services) =>
        new(backend, services.Sum(s => s.Spans), 0, 0, 0, 0, 0, 0, 0,
            services.ToDictionary(s => s.Service, s => new ServiceCounts(s.Spans, 0, 0), StringComparer.Ordinal), []);

    private CheckResult Judge(CaptureSummary dynatrace, CaptureSummary datadog) =>
        _check.Judge(SendFailedFlatCheckTests.PaymentsFixed(), () => throw new InvalidOperationException("no data expected"), dynatrace, datadog, 0.05);

    [Fact]
    public void Counts_within_tolerance_over_a_population_pass()
    {
        var result = Judge(Summary("dynatrace", ("checkout", 400), ("ledger", 200)), Summary("datadog", ("checkout", 396), ("ledger", 200)));

        Assert.Equal(CheckOutcome.Pass, result.Outcome);
    }

    [Fact]
    public void Agreement_on_a_handful_of_spans_is_not_a_pass()
    {
        // Given the first flush of each backend: ten spans each, in agreement
        var result = Judge(Summary("dynatrace", ("checkout", 10)), Summary("datadog", ("checkout", 10)));

        Assert.Equal(CheckOutcome.Skipped, result.Outcome);
        Assert.Contains("too few spans", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void A_service_apart_beyond_tolerance_fails_naming_it()
    {
        var result = Judge(Summary("dynatrace", ("checkout", 400), ("ledger", 200)), Summary("datadog", ("checkout", 400), ("ledger", 150)));

        Assert.Equal(CheckOutcome.Fail, result.Outcome);
        var evidence = Assert.Single(Assert.Single(result.Findings).Evidence);
        Assert.StartsWith("ledger: dynatrace 200 spans, datadog 150 spans", evidence, StringComparison.Ordinal);
        Assert.Equal(Severity.Error, result.Findings[0].Severity);
    }
}
