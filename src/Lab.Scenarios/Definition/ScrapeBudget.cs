using System.Globalization;
using OtelLab.Load.TargetFarm;
using OtelLab.Sim.TargetAllocation.Discovery;

namespace OtelLab.Scenarios.Definition;

/// <summary>
/// How much scraping the sim sustains on this machine. The sim runs every target and every scraper in one process, so
/// a scenario's <c>timeScale</c> multiplies its scrape load: 9,000 targets every 30 s are 300 scrapes/s at real time and
/// 3,000 at timeScale 10 — more than 2 cores can serve, scrape and push through two collector tiers and two backends
/// (measured 2026-11-24: at 900 scrapes/s the lab fell behind, held every unserved connection open and died at the
/// open-file limit). Rather than fail like that, the lab lowers the time scale until the offered load fits and says so.
/// The budget is measured at start (<see cref="ScrapeCalibration"/>), not assumed per core: a constant cannot know a
/// kernel whose system calls are expensive, nor the other work on a shared machine.
/// </summary>
/// <param name="ScrapesPerSecond">Scrapes of the scenario's shape per second the whole lab sustains beside the rest of its work.</param>
/// <param name="Basis">Where the figure comes from, for the notice.</param>
public sealed record ScrapeBudget(double ScrapesPerSecond, string Basis)
{
    /// <summary>
    /// The scrape interval the budget assumes: the TA's <c>prometheus_cr.scrape_interval</c> default (30 s, what the
    /// guide's ServiceMonitors also say).
    /// </summary>
    public static readonly TimeSpan ScrapeInterval = new PrometheusCrOptions().ScrapeInterval;

    /// <summary>Series the prometheus receiver adds to every scrape (up, scrape_duration_seconds, scrape_samples_scraped, scrape_samples_post_metric_relabeling, scrape_series_added).</summary>
    public const int SamplesAddedPerScrape = 5;

    /// <summary>
    /// How much more a scrape costs in the whole lab than the calibration's bare scrape: each scraped sample then goes
    /// through the prometheus tier, the gateway and both backends. Measured on the 2-core lab machine with the lab's JIT
    /// and GC settings (bench/Lab.Bench.Scrape, 9,000 targets of 15 samples, 60 s windows, 2026-12-06; its "× bare"
    /// column divides each case's CPU per scrape above the lab without the farm by its own calibration's): 4.2× at 300
    /// scrapes/s (a fixed cost of holding 9,000 targets spread over few scrapes), 3.1× at 1,500/s, 2.6× at 3,000/s.
    /// 3 covers the range a 9,000-target lab's budget lands in (1,500-2,500/s). (It was 2.5 when the calibration
    /// measured partly unoptimized code: a bare scrape read 0.19-0.24 ms of CPU, 0.14-0.19 ms since it warms up.)
    /// </summary>
    public const double PipelineCostFactor = 3;

    /// <summary>
    /// The share of the calibrated capacity the lab plans to use: the other half is headroom for the rest of the lab
    /// (the TA, kubelets, the load, the views) and for bursts, which is what kept 300 scrapes/s steady on 2 cores where
    /// 900/s wedged.
    /// </summary>
    public const double Headroom = 0.5;

    /// <summary>
    /// How much more a scrape of the first round costs than the calibration's bare scrape: every target's first scrape
    /// dials a new connection, and every series it carries is new to each tier (the receiver's staleness tracking, the
    /// gateway's cumulativetodelta, both exporters, both backends), so the objects it leaves all survive the young
    /// generation. Measured the same way as <see cref="PipelineCostFactor"/> (bench/Lab.Bench.Scrape, its "round ms"
    /// column over its calibration, 2026-12-06): 0.862 ms at 1,500 scrapes/s and 0.743 ms at 3,000/s over a bare
    /// scrape's 0.172 ms, 5.0× and 4.3×; 4.8 for the 1,700-2,100/s a 9,000-target lab's first round offers.
    /// </summary>
    public const double FirstRoundCostFactor = 4.8;

    /// <summary>
    /// The share of the calibrated capacity the first scrape round may take. It runs while the rest of the lab finishes
    /// its start (the views read every pod, the kubelets probe, the Target Allocator's first allocation), and a scrape
    /// that waits for a CPU past its timeout counts only an interval later (<c>up</c> 0, as upstream). At 9,000 targets
    /// on 2 cores (2026-12-05/06) the round completed one interval after start-up at timeScale 6 (1,800 scrapes/s) in 4
    /// of 4 runs, at 7 (2,100/s) in 3 of 4, at the steady-state budget's 6.7-7.8 (2,000-2,340/s) in 0 of 8.
    /// </summary>
    public const double FirstRoundShare = 2.0 / 3;

    /// <summary>
    /// The budget a calibration measured on this machine: the lower of what the steady state sustains with
    /// <see cref="Headroom"/> and what the first scrape round sustains within <see cref="FirstRoundShare"/>, since the
    /// time scale chosen at start holds for both.
    /// </summary>
    public static ScrapeBudget FromCalibration(ScrapeCalibration calibration)
    {
        ArgumentNullException.ThrowIfNull(calibration);
        var steady = calibration.ScrapesPerSecond * Headroom / PipelineCostFactor;
        var firstRound = calibration.ScrapesPerSecond * FirstRoundShare / FirstRoundCostFactor;
        var budget = Math.Min(steady, firstRound);
        return new ScrapeBudget(budget, string.Create(CultureInfo.InvariantCulture,
            $"measured at start: {calibration.ScrapesPerSecond:N0} bare scrapes/s × {Headroom:0.##} headroom / {PipelineCostFactor:0.#} for the rest of the pipeline = {steady:N0} scrapes/s; ")
            + string.Create(CultureInfo.InvariantCulture,
            $"the first round, whose scrapes cost {FirstRoundCostFactor:0.#}× a bare one, within {FirstRoundShare * 100:0}% of the machine = {firstRound:N0} scrapes/s; budget {budget:N0} scrapes/s"));
    }

    /// <summary>Calibrates on this machine with the scenario's target shape and returns the calibration and its budget.</summary>
    /// <param name="share">The share of the machine's budget this scenario gets (1 / the labs run side by side).</param>
    public static async Task<(ScrapeCalibration Calibration, ScrapeBudget Budget)> MeasureAsync(ScenarioDefinition scenario, CancellationToken cancellationToken, double share = 1)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var shape = new TargetShape(Math.Max(1, scenario.Targets.MetricsPerTarget), Math.Max(1, scenario.Targets.SeriesPerMetric));
        // A short window first: a scenario that asks for a small part of what it measures fits whatever that window's
        // error, and the full window (1.5 s before every lab) is only spent where the answer can change the time scale.
        var quick = await ScrapeCalibration.MeasureAsync(shape, QuickWindow, cancellationToken: cancellationToken).ConfigureAwait(false);
        var quickBudget = FromCalibration(quick);
        if (Demand(scenario) <= QuickShareAtMost * quickBudget.ScrapesPerSecond * share)
        {
            return (quick, quickBudget);
        }

        var calibration = await ScrapeCalibration.MeasureAsync(shape, cancellationToken: cancellationToken).ConfigureAwait(false);
        return (calibration, FromCalibration(calibration));
    }

    /// <summary>The short calibration window tried first.</summary>
    public static readonly TimeSpan QuickWindow = TimeSpan.FromSeconds(0.3);

    /// <summary>
    /// The largest share of the short window's budget a scenario may ask for and be judged on it alone. Measured on the
    /// 2-core lab machine, 16 pairs of a 0.3 s and a 1.5 s calibration back to back (idle, and beside two busy loops):
    /// the short window read 0.79–1.17× the long one, far inside the 4× this leaves.
    /// </summary>
    public const double QuickShareAtMost = 0.25;

    /// <summary>Scrapes per second of wall time the scenario asks for at its time scale.</summary>
    public static double Demand(ScenarioDefinition scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        return scenario.Targets.Count * scenario.TimeScale / ScrapeInterval.TotalSeconds;
    }

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
        var maxScale = ScrapesPerSecond * ScrapeInterval.TotalSeconds / targets;
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
            + string.Create(inv, $"= {scrapes:N0} scrapes/s, over what the sim sustains here ({Basis}). Running at timeScale {scale:0.#} instead (scrapes every {every:0.#} s{still}); ")
            + "fewer targets or a smaller shape keep the scenario's timeScale.";
        return (scenario with { TimeScale = scale }, notice);
    }
}
