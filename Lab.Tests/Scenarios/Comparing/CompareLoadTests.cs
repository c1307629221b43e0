using OtelLab.Load.Simulations;
using OtelLab.Scenarios.Comparing;
using OtelLab.Scenarios.Loads;

namespace OtelLab.Tests.Scenarios.Comparing;

/// <summary>The scenario's load simulations on both sides of a comparison: NBomber's figures side by side and the load thresholds judged on each.</summary>
[Trait("Category", "Unit")]
public sealed class CompareLoadTests
{
    private static readonly IReadOnlyList<LoadThreshold> Thresholds = [Parse("trace: p99 < 2000ms"), Parse("fail rate < 10%"), Parse("dropped == 0")];

    [Fact]
    public void A_head_whose_load_fails_more_and_breaks_a_threshold_is_a_regression_shown_side_by_side_in_every_rendering()
    {
        // Given: the same 60 s trace load; the head answers more 500s and its p99 crosses 2 s
        var (b, h) = (Trace(ok: 437, fail: 24, slowMs: 1_700), Trace(ok: 391, fail: 70, slowMs: 2_900));
        var report = Report(Side(b), Side(h));
        var (b99, h99) = (b.Total.P99Ms, h.Total.P99Ms); // HdrHistogram's highest equivalent values of 1.7 s and 2.9 s
        Assert.InRange(b99, 1_700, 1_700 * 1.001);
        Assert.InRange(h99, 2_900, 2_900 * 1.001);

        // When
        var markdown = CompareMarkdown.Write(report);
        var html = CompareHtml.Write(report);
        var json = System.Text.Json.Nodes.JsonNode.Parse(CompareJson.Write(report))!;

        // Then: 24 of 461 (5.2 %) on the base; 3σ over 461 requests is 3.1 points, so 70 of 461 (15.2 %) is beyond chance
        Assert.Equal(
            [
                "load trace: 24 of 461 request(s) failed on the base, 70 of 461 on the head",
                T($"load threshold trace: p99 < 2000ms holds on the base ({b99:0.##} ms), breached on the head ({h99:0.##} ms)"),
                "load threshold trace: fail rate < 10% holds on the base (5.21 %), breached on the head (15.18 %)",
            ],
            report.Regressions);
        Assert.Contains("### The same load on each side", markdown, StringComparison.Ordinal);
        Assert.Contains("60 of 60 s of lab time on the base, 60 of 60 s on the head", markdown, StringComparison.Ordinal);
        Assert.Contains("| trace | 461 → 461 | 24 → 70 (+46) | 7.7 → 7.7 |", markdown, StringComparison.Ordinal);
        Assert.Contains(T($"| 100 → 100 | {b99:#,0.#} → {h99:#,0.#} | {b.Total.MaxMs:#,0.#} → {h.Total.MaxMs:#,0.#} | 200×437, 500×24 → 200×391, 500×70 |"), markdown, StringComparison.Ordinal);
        Assert.Contains(T($"| trace: p99 < 2000ms | PASS ({b99:0.##} ms) | FAIL ({h99:0.##} ms) |"), markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("dropped == 0", markdown, StringComparison.Ordinal); // a pipeline threshold is not judged from requests
        Assert.Contains("The same load on each side", html, StringComparison.Ordinal);
        Assert.Equal(70, (long?)json["measured"]!["head"]!["load"]!["scenarios"]![0]!["fail"]);
        Assert.False((bool?)json["measured"]!["head"]!["load"]!["thresholds"]![0]!["passed"]);
        Assert.Equal(24, (long?)json["measured"]!["base"]!["load"]!["scenarios"]![0]!["statusCodes"]!["500"]);
    }

    [Fact]
    public void The_same_load_within_chance_and_within_its_thresholds_is_no_regression()
    {
        // Given: 24 → 30 failures of 461: the head's 6.5 % is within 3σ (3.1 points) of the base's 5.2 %
        var (b, h) = (Trace(ok: 437, fail: 24, slowMs: 1_700), Trace(ok: 431, fail: 30, slowMs: 1_900));
        var report = Report(Side(b), Side(h));

        // Then
        Assert.Empty(report.Regressions);
        Assert.Contains(T($"| trace: p99 < 2000ms | PASS ({b.Total.P99Ms:0.##} ms) | PASS ({h.Total.P99Ms:0.##} ms) |"), CompareMarkdown.Write(report), StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_without_load_simulations_has_no_load_table()
    {
        var none = Side([]);

        Assert.DoesNotContain("The same load on each side", CompareMarkdown.Write(Report(none, none)), StringComparison.Ordinal);
    }

    private static ScenarioStatsSnapshot Trace(int ok, int fail, double slowMs)
    {
        // ok answers of 100 ms but for the slowest 2 % at slowMs (so p99 reads slowMs), failures as HTTP 500 at 50 ms
        var stats = new StepStats();
        var slow = (ok + fail) / 50;
        for (var i = 0; i < ok; i++)
        {
            stats.Record(new StepResponse(true, "200", 512), TimeSpan.FromMilliseconds(i < slow ? slowMs : 100), TimeSpan.FromSeconds(i % 60));
        }

        for (var i = 0; i < fail; i++)
        {
            stats.Record(new StepResponse(false, "500", 32), TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(i % 60));
        }

        return new ScenarioStatsSnapshot("trace", "POST /checkout", stats.Snapshot(TimeSpan.FromSeconds(60)), []);
    }

    private static RunMeasurement Side(IReadOnlyList<ScenarioStatsSnapshot> load) => new()
    {
        Assignments = new Dictionary<string, string>(),
        KeepRates = [new ClassKeepRate("error", 10, 10)],
        Tiers = [new TierFlow("otel-gateway (deployment)", 2, 100, 200, 50, 200)],
        Backends = [],
        SendFailures = [],
        Load = load,
        LoadRan = load.Count == 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(60),
        LoadPlanned = load.Count == 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(60),
        Thresholds = LoadThresholds.EvaluateRequests(load.Count == 0 ? [] : Thresholds, load),
    };

    private static RunMeasurement Side(ScenarioStatsSnapshot trace) => Side([trace]);

    private static CompareReport Report(RunMeasurement b, RunMeasurement h) => CompareReportTests.Report(b, h);

    private static string T(FormattableString s) => s.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static LoadThreshold Parse(string text) => LoadThreshold.TryParse(text, out var t, out var e) ? t! : throw new ArgumentException(e);
}
