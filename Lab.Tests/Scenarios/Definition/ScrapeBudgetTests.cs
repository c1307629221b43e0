using OtelLab.Scenarios.Definition;

namespace OtelLab.Tests.Scenarios.Definition;

/// <summary>The lab lowers a scenario's timeScale until its scrape load fits the measured budget, and says so.</summary>
[Trait("Category", "Unit")]
public sealed class ScrapeBudgetTests
{
    private static ScenarioDefinition Scenario(int targets, double timeScale, int metrics = 2, int series = 5) => new()
    {
        Name = "s",
        ManifestsPath = "m",
        TimeScale = timeScale,
        Targets = new TargetsSpec { Count = targets, MetricsPerTarget = metrics, SeriesPerMetric = series },
    };

    [Fact]
    public void The_budget_is_the_lower_of_the_steady_states_and_the_first_rounds_share_of_the_calibrated_bare_rate()
    {
        // Given 9,000 bare scrapes in 1.5 s (6,000/s), as this 2-core machine measured with its cores free
        var calibration = new ScrapeCalibration(9_000, 0, 10, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(1.8), 2);

        var budget = ScrapeBudget.FromCalibration(calibration);

        // Then the steady state sustains 6,000 × 0.5 / 3 = 1,000 scrapes/s, the first round 6,000 × 2/3 / 4.8 = 833:
        // the lower one is the budget, and the basis says both
        Assert.Equal(6_000 * (2.0 / 3) / 4.8, budget.ScrapesPerSecond, 9);
        Assert.Equal("measured at start: 6,000 bare scrapes/s × 0.5 headroom / 3 for the rest of the pipeline = 1,000 scrapes/s; "
            + "the first round, whose scrapes cost 4.8× a bare one, within 67% of the machine = 833 scrapes/s; budget 833 scrapes/s", budget.Basis);
        Assert.Equal(TimeSpan.FromMilliseconds(0.2), calibration.CpuPerScrape);
    }

    [Fact]
    public void The_bundled_300_targets_at_timeScale_10_fit_unchanged()
    {
        // Given 300 targets every 3 s (100 scrapes/s) and a budget of 273/s
        var scenario = Scenario(300, 10);
        var (fitted, notice) = new ScrapeBudget(273, "b").Fit(scenario);

        // Then nothing changes and nothing is said
        Assert.Same(scenario, fitted);
        Assert.Null(notice);
    }

    [Fact]
    public void Nine_thousand_targets_at_timeScale_10_run_at_the_scale_the_budget_allows_with_the_figures_said()
    {
        // Given 9,000 targets every 3 s: 3,000 scrapes/s, 11× a budget of 273/s
        var (fitted, notice) = new ScrapeBudget(273, "measured at start: …").Fit(Scenario(9000, 10));

        // Then the largest timeScale that fits is 273 × 30 / 9,000 = 0.91, rounded down to 0.9
        Assert.Equal(0.9, fitted.TimeScale, 9);
        Assert.NotNull(notice);
        Assert.Contains("9,000 targets × 15 samples every 3 s (timeScale 10) = 3,000 scrapes/s, over what the sim sustains here (measured at start: …)", notice, StringComparison.Ordinal);
        Assert.Contains("Running at timeScale 0.9 instead (scrapes every 33.3 s)", notice, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(500, 3000, 10, 5.0)] // 500 × 30 / 3,000
    [InlineData(1000, 9000, 10, 3.3)] // 3.33, rounded down
    [InlineData(500, 30000, 1, 0.5)] // slower than real time
    public void The_time_scale_is_the_budget_over_the_load_rounded_down_to_one_decimal(double budget, int targets, double timeScale, double expected)
    {
        var (fitted, notice) = new ScrapeBudget(budget, "b").Fit(Scenario(targets, timeScale));

        Assert.Equal(expected, fitted.TimeScale, 9);
        Assert.NotNull(notice);
    }

    [Fact]
    public void Below_a_tenth_of_real_time_the_lab_says_it_is_still_over_the_budget()
    {
        // Given 200,000 targets and 500/s: 500 × 30 / 200,000 = 0.075, under the slowest timeScale the lab runs (0.1)
        var (fitted, notice) = new ScrapeBudget(500, "b").Fit(Scenario(200_000, 1));

        // Then it runs at 0.1 and does not pretend the load fits
        Assert.Equal(0.1, fitted.TimeScale, 9);
        Assert.Contains("still over the budget", notice, StringComparison.Ordinal);
        Assert.DoesNotContain("still over the budget", new ScrapeBudget(500, "b").Fit(Scenario(9000, 10)).Notice, StringComparison.Ordinal);
    }

    [Fact]
    public void A_scenario_without_a_farm_is_left_alone()
    {
        var scenario = Scenario(0, 10);
        Assert.Same(scenario, new ScrapeBudget(500, "b").Fit(scenario).Scenario);
    }
}
