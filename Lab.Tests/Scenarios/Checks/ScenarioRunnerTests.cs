using OtelLab.Lint;
using OtelLab.Model.Manifests;
using OtelLab.Scenarios.Checks;
using OtelLab.Scenarios.Definition;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Scenarios.Checks;

/// <summary>One check run as the test verb and the live views run it.</summary>
[Trait("Category", "Unit")]
public sealed class ScenarioRunnerTests
{
    [Fact]
    public async Task A_check_that_throws_is_a_failed_check_whose_finding_names_what_it_threw()
    {
        var result = await ScenarioRunner.RunOneAsync(Throws(), Context(), r => r, TestContext.Current.CancellationToken);

        Assert.Equal(CheckOutcome.Fail, result.Outcome);
        Assert.Equal("the check crashed: InvalidOperationException: the store moved under the check", result.Summary);
        var finding = Assert.Single(result.Findings);
        Assert.Equal(("check-crashed", Severity.Error, "check throws"), (finding.RuleId, finding.Severity, finding.Object));
        Assert.Equal(["InvalidOperationException: the store moved under the check"], finding.Evidence);
    }

    [Fact]
    public async Task A_cancelled_run_is_not_reported_as_a_crash()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ScenarioRunner.RunOneAsync(Throws(), Context(), r => r, cancelled.Token));
    }

    private static ThrowingCheck Throws() => new("throws", new InvalidOperationException("the store moved under the check"));

    private static CheckContext Context() => new()
    {
        Scenario = new ScenarioDefinition { Name = "s", ManifestsPath = "." },
        Manifests = new ManifestSet { Objects = [], Errors = [], Files = [] },
        DataWithin = TimeSpan.Zero,
    };
}
