using System.Globalization;
using OtelLab.Sim.TargetAllocation.Discovery;

namespace OtelLab.Scenarios.Definition;

/// <summary>
/// How much scraping the sim sustains on this machine. The sim runs every target and every scraper in one process, so
/// a scenario's <c>timeScale</c> multiplies its scrape load: 9,000 targets every 30 s are 300 scrapes/s at real time and
/// 3,000 at timeScale 10 — more than 2 cores can serve, scrape and push through two collector tiers and two backends
/// (measured 2026-11-24: at 900 scrapes/s the lab fell behind, held every unserved connection open and died at the
/// open-file limit). Rather than fail like that, the lab lowers the time scale until the offered load fits and says so.
/// </summary>
/// <param name="Cores">The cores the lab's one process shares.</param>
public sealed record ScrapeBudget(int Cores)
{
    /// <summary>
    /// The scrape interval the budget assumes: the TA's <c>prometheus_cr.scrape_interval</c> default (30 s, what the
    /// guide's ServiceMonitors also say).
    /// </summary>
    public static readonly TimeSpan ScrapeInterval = new PrometheusCrOptions().ScrapeInterval;

    /// <summary>Series the prometheus receiver adds to every scrape (up, scrape_duration_seconds, scrape_samples_scraped, scrape_samples_post_metric_relabeling, scrape_series_added).</summary>
    public const int SamplesAddedPerScrape = 5;

    // Per core, measured on this 2-core machine with the bundled pipeline (README "9,000 targets"): 9,000 targets of 15
    // samples ran steadily at 0.64-0.72 cores at 300 scrapes/s and 1.27 cores at 600/s (about 2 ms of CPU per scrape
    // through the prometheus tier, the gateway and both backends), and wedged at 900/s. 500/s on 2 cores keeps a core free.
    internal const double ScrapesPerCore = 250;

    internal const double SamplesPerCore = 25_000;

    /// <summary>This machine's budget.</summary>
    public static ScrapeBudget ForThisMachine() => new(Environment.ProcessorCount);

    /// <summary>Scrapes per second the sim sustains beside the rest of the lab.</summary>
    public double ScrapesPerSecond => Cores * ScrapesPerCore;

    /// <summary>Scraped samples per second (each goes through the prometheus tier, the gateway and both backends).</summary>
    public double SamplesPerSecond => Cores * SamplesPerCore;

    /// <summary>
    /// The scenario as the sim can run it: unchanged when its scrape load fits, else with the largest time scale
    /// (one decimal, rounded down) that fits, and the notice to print.
    /// </summary>
    public (ScenarioDefinition Scenario, string? Notice) Fit(ScenarioDefinition scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var targets = scenario.Targets.Count;
        if (targets <= 0)
        {
            return (scenario, null);
        }

        var samples = (scenario.Targets.MetricsPerTarget * scenario.Targets.SeriesPerMetric) + SamplesAddedPerScrape;
        var scrapes = targets * scenario.TimeScale / ScrapeInterval.TotalSeconds;
        var maxScale = Math.Min(ScrapesPerSecond, SamplesPerSecond / samples) * ScrapeInterval.TotalSeconds / targets;
        if (scenario.TimeScale <= maxScale)
        {
            return (scenario, null);
        }

        // 0.1 is the slowest the lab runs: below it the scenario is still over the budget, and the notice says so.
        var scale = Math.Max(0.1, Math.Floor(maxScale * 10) / 10);
        var still = scale > maxScale ? " — the slowest the lab runs, still over the budget: expect scrapes to time out (up 0)" : "";
        var every = ScrapeInterval.TotalSeconds / scale;
        var inv = CultureInfo.InvariantCulture;
        var notice = string.Create(inv, $"Scrape load: {targets:N0} targets × {samples} samples every {ScrapeInterval.TotalSeconds / scenario.TimeScale:0.#} s (timeScale {scenario.TimeScale:0.##}) ")
            + string.Create(inv, $"= {scrapes:N0} scrapes/s, {scrapes * samples:N0} samples/s, over what the sim sustains here ({Cores} cores: ")
            + string.Create(inv, $"{ScrapesPerSecond:N0} scrapes/s, {SamplesPerSecond:N0} samples/s). Running at timeScale {scale:0.#} instead (scrapes every {every:0.#} s{still}); ")
            + "fewer targets or a smaller shape keep the scenario's timeScale.";
        return (scenario with { TimeScale = scale }, notice);
    }
}
