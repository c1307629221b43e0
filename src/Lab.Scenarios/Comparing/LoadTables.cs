using System.Globalization;
using OtelLab.Load.Simulations;

namespace OtelLab.Scenarios.Comparing;

/// <summary>
/// The scenario's load simulations on both sides of a comparison: NBomber's figures per load scenario (requests, fail,
/// RPS, latency percentiles, status codes) base → head, and the scenario's request thresholds judged on each side.
/// </summary>
internal static class LoadTables
{
    public static IEnumerable<CompareTable> Of(RunMeasurement b, RunMeasurement h)
    {
        var names = b.Load.Select(s => s.Scenario).Union(h.Load.Select(s => s.Scenario), StringComparer.Ordinal).ToList();
        yield return new CompareTable(
            "The same load on each side",
            T($"The scenario's load.simulations as NBomber counts them, read when each run's checks ended: {Seconds(b.LoadRan)} of {Seconds(b.LoadPlanned)} s of lab time on the base, {Seconds(h.LoadRan)} of {Seconds(h.LoadPlanned)} s on the head."),
            ["load scenario", "requests (base → head)", "fail", "RPS", "p50 ms", "p75 ms", "p95 ms", "p99 ms", "max ms", "status codes"],
            [.. names.Select(n => (IReadOnlyList<string>)[
                n,
                CompareTables.Pair(Stats(b, n)?.Count, Stats(h, n)?.Count),
                CompareTables.Pair(Stats(b, n)?.Fail, Stats(h, n)?.Fail),
                Pair(Stats(b, n)?.Rps, Stats(h, n)?.Rps),
                Pair(Stats(b, n)?.P50Ms, Stats(h, n)?.P50Ms),
                Pair(Stats(b, n)?.P75Ms, Stats(h, n)?.P75Ms),
                Pair(Stats(b, n)?.P95Ms, Stats(h, n)?.P95Ms),
                Pair(Stats(b, n)?.P99Ms, Stats(h, n)?.P99Ms),
                Pair(Stats(b, n)?.MaxMs, Stats(h, n)?.MaxMs),
                T($"{Codes(Stats(b, n))} → {Codes(Stats(h, n))}")])]);

        var thresholds = b.Thresholds.Select(Key).Union(h.Thresholds.Select(Key)).ToList();
        if (thresholds.Count > 0)
        {
            yield return new CompareTable(
                "Load thresholds on each side",
                "The scenario's request thresholds (load.thresholds) judged on each side's load; one that holds on the base and breaks on the head is a regression.",
                ["threshold", "base", "head"],
                [.. thresholds.Select(k => (IReadOnlyList<string>)[Label((Find(b, k) ?? Find(h, k))!), Verdict(Find(b, k)), Verdict(Find(h, k))])]);
        }
    }

    /// <summary>A threshold judged on one load scenario: the same on both sides when text and scope match.</summary>
    internal static (string Text, string Scenario) Key(Loads.ThresholdResult r) => (r.Threshold.Text, r.Scope);

    /// <summary>A threshold as judged on one load scenario, its scope said once (a threshold that names its load scenario already says it).</summary>
    internal static string Label(Loads.ThresholdResult r) => r.Threshold.Scenario is null ? r.Scope + ": " + r.Threshold.Text : r.Threshold.Text;

    internal static Loads.ThresholdResult? Find(RunMeasurement run, (string Text, string Scenario) key) =>
        run.Thresholds.FirstOrDefault(r => Key(r) == key);

    internal static StepStatsSnapshot? Stats(RunMeasurement run, string scenario) =>
        run.Load.FirstOrDefault(s => s.Scenario == scenario)?.Total;

    private static string Verdict(Loads.ThresholdResult? r) => r is null ? "-"
        : (r.Passed ? "PASS" : "FAIL") + (r.Measured is { } m ? " (" + r.Threshold.Format(m) + ")" : r.Note is { } note ? " (" + note + ")" : "");

    private static string Codes(StepStatsSnapshot? stats) => stats is null ? "-"
        : stats.StatusCodes.Count == 0 ? "none" : string.Join(", ", stats.StatusCodes.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => T($"{c.Key}×{c.Value}")));

    private static string Pair(double? before, double? after) =>
        T($"{(before is { } x ? x.ToString("#,0.#", CultureInfo.InvariantCulture) : "-")} → {(after is { } y ? y.ToString("#,0.#", CultureInfo.InvariantCulture) : "-")}");

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);

    private static string T(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
