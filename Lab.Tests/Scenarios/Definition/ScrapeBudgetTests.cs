using OtelLab.Scenarios.Definition;

namespace OtelLab.Tests.Scenarios.Definition;

/// <summary>The lab lowers a scenario's timeScale until its scrape load fits the machine, and says so.</summary>
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
    public void The_bundled_300_targets_at_timeScale_10_fit_two_cores_unchanged()
    {
        // Given 300 targets every 3 s (100 scrapes/s, 1,500 samples/s), When fitted to 2 cores (500 scrapes/s, 50,000 samples/s)
        var scenario = Scenario(300, 10);
        var (fitted, notice) = new ScrapeBudget(Cores: 2).Fit(scenario);

        // Then nothing changes and nothing is said
        Assert.Same(scenario, fitted);
        Assert.Null(notice);
    }

    [Fact]
    public void Nine_thousand_targets_at_timeScale_10_run_at_timeScale_1_6_on_two_cores_with_the_figures_said()
    {
        // Given 9,000 targets every 3 s: 3,000 scrapes/s, 6× what 2 cores sustain
        var (fitted, notice) = new ScrapeBudget(Cores: 2).Fit(Scenario(9000, 10));

        // Then the largest timeScale that fits is 500 × 30 / 9,000 = 1.67, rounded down to 1.6, and the notice gives the offered and the budget figures
        Assert.Equal(1.6, fitted.TimeScale, 9);
        Assert.NotNull(notice);
        Assert.Contains("9,000 targets × 15 samples every 3 s (timeScale 10) = 3,000 scrapes/s, 45,000 samples/s", notice, StringComparison.Ordinal);
        Assert.Contains("2 cores: 500 scrapes/s, 50,000 samples/s", notice, StringComparison.Ordinal);
        Assert.Contains("Running at timeScale 1.6 instead (scrapes every 18.8 s)", notice, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2, 3000, 2, 5, 10, 5.0)] // scrapes bound 500 × 30 / 3,000 = 5.0 (samples bound 50,000 / 15 × 30 / 3,000 = 33.3)
    [InlineData(4, 9000, 2, 5, 10, 3.3)] // scrapes bound 1,000 × 30 / 9,000 = 3.33, rounded down
    [InlineData(2, 2000, 10, 10, 10, 7.1)] // samples bound 50,000 / 105 × 30 / 2,000 = 7.14 (scrapes bound 7.5), rounded down
    [InlineData(2, 30000, 2, 5, 1, 0.5)] // slower than real time: 500 × 30 / 30,000 = 0.5
    public void The_time_scale_is_the_smaller_bound_rounded_down_to_one_decimal(int cores, int targets, int metrics, int series, double timeScale, double expected)
    {
        var (fitted, notice) = new ScrapeBudget(cores).Fit(Scenario(targets, timeScale, metrics, series));

        Assert.Equal(expected, fitted.TimeScale, 9);
        Assert.NotNull(notice);
    }

    [Fact]
    public void Below_a_tenth_of_real_time_the_lab_says_it_is_still_over_the_budget()
    {
        // Given 200,000 targets on 2 cores: 500 × 30 / 200,000 = 0.075, under the slowest timeScale the lab runs (0.1)
        var (fitted, notice) = new ScrapeBudget(2).Fit(Scenario(200_000, 1));

        // Then it runs at 0.1 and does not pretend the load fits
        Assert.Equal(0.1, fitted.TimeScale, 9);
        Assert.Contains("still over the budget", notice, StringComparison.Ordinal);
        Assert.DoesNotContain("still over the budget", new ScrapeBudget(2).Fit(Scenario(9000, 10)).Notice, StringComparison.Ordinal);
    }

    [Fact]
    public void A_scenario_without_a_farm_is_left_alone()
    {
        var scenario = Scenario(0, 10);
        Assert.Same(scenario, new ScrapeBudget(2).Fit(scenario).Scenario);
    }
}
