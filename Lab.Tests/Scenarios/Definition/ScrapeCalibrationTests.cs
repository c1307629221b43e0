using OtelLab.Load.TargetFarm;
using OtelLab.Scenarios.Definition;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Scenarios.Definition;

/// <summary>The calibration scrapes real loopback sockets with the receiver's parser and measures what that costs here.</summary>
[Collection(nameof(SimulatedNetworkCollection))]
[Trait("Category", "Lab")]
public sealed class ScrapeCalibrationTests
{
    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Scrapes_the_shape_for_the_window_on_loopback_and_measures_rate_and_cpu()
    {
        var shape = new TargetShape(MetricCount: 2, SeriesCount: 5, LabelCount: 2);

        var c = await ScrapeCalibration.MeasureAsync(shape, TimeSpan.FromSeconds(1), cancellationToken: TestContext.Current.CancellationToken);
        TestContext.Current.SendDiagnosticMessage(c.Describe());

        Assert.Equal(0, c.Failed);
        // Every scrape parsed the shape's series (2 × 5); at least a few hundred scrapes fit in a second on any machine
        // that can run the lab at all (the bundled 300 targets at timeScale 10 need 100/s with the whole pipeline).
        Assert.Equal(shape.SeriesPerTarget, c.SamplesPerScrape);
        Assert.True(c.Scrapes > 100, c.Describe());
        Assert.InRange(c.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));
        Assert.True(c.CpuPerScrape > TimeSpan.Zero, c.Describe());
        Assert.Equal(c.Scrapes / c.Elapsed.TotalSeconds, c.ScrapesPerSecond, 6);
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task The_budget_takes_the_short_window_only_for_a_scenario_far_under_it()
    {
        var ct = TestContext.Current.CancellationToken;
        var small = new ScenarioDefinition { Name = "small", ManifestsPath = ".", Targets = new TargetsSpec { Count = 30, MetricsPerTarget = 2, SeriesPerMetric = 5 }, TimeScale = 10 };
        var large = small with { Name = "large", Targets = small.Targets with { Count = 9000 } };

        // 30 targets at ×10 ask for 10 scrapes/s: judged on the short window
        var (quick, _) = await ScrapeBudget.MeasureAsync(small, ct);
        Assert.True(ScrapeBudget.Demand(small) <= ScrapeBudget.QuickShareAtMost * ScrapeBudget.FromCalibration(quick).ScrapesPerSecond, quick.Describe());
        Assert.InRange(quick.Elapsed, ScrapeBudget.QuickWindow, ScrapeCalibration.DefaultWindow - TimeSpan.FromMilliseconds(1));

        // 9,000 at ×10 ask for 3,000/s, more than a quarter of any 2-core budget: the full window decides
        var (full, _) = await ScrapeBudget.MeasureAsync(large, ct);
        Assert.True(full.Elapsed >= ScrapeCalibration.DefaultWindow, full.Describe());
    }
}
