using OtelLab.Load.Simulations;
using OtelLab.Scenarios.Loads;
using OtelLab.Scenarios.Reporting;
using OtelLab.Tests.Scenarios.Loads;

namespace OtelLab.Tests.Scenarios.Reporting;

/// <summary>The load report's four files: NBomber's columns in text, Markdown and CSV; self-contained SVG charts in HTML.</summary>
[Trait("Category", "Unit")]
public sealed class LoadReportWritersTests
{
    [Fact]
    public void Text_markdown_csv_and_html_carry_the_stats_the_pipeline_and_the_thresholds()
    {
        var report = Report();

        var text = LoadReportText.Write(report);
        var md = LoadReportMarkdown.Write(report);
        var csv = LoadReportCsv.Write(report);
        var html = LoadReportHtml.Write(report);

        Assert.Contains("│ request count           │ all = 40, ok = 38, fail = 2, RPS = 4", text, StringComparison.Ordinal);
        Assert.Contains("latency percentile (ms) │ p50 = ", text, StringComparison.Ordinal);
        Assert.Contains("status codes            │ 200 = 38, 500 = 2", text, StringComparison.Ordinal);
        Assert.Contains("otel-gateway (deployment)", text, StringComparison.Ordinal);
        Assert.Contains("FAIL  pipeline: dropped == 0 breached: measured 3", text, StringComparison.Ordinal);
        Assert.Contains("| FAIL | pipeline | `dropped == 0` | 3 |", md, StringComparison.Ordinal);
        var lines = csv.TrimEnd().Split('\n');
        Assert.Equal(LoadReportCsv.Header, lines[0].TrimEnd('\r'));
        Assert.Equal(4, lines.Length); // the header, the step over the run, then its two phases
        Assert.StartsWith("trace,POST /checkout,all,", lines[1], StringComparison.Ordinal);
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        Assert.Contains("<polyline", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=\"http", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Cpu_and_memory_per_component_are_tabled_with_what_each_figure_is_and_charted_over_time()
    {
        // Given two readings one wall second apart: a gateway pod that used 0.3 s of thread CPU, a sample service 0.5 s
        static PipelineReading Reading(double at, double gatewayCpu, double serviceCpu) => new()
        {
            At = TimeSpan.FromSeconds(at * 10),
            WallTimestamp = (long)(at * System.Diagnostics.Stopwatch.Frequency),
            Tiers = [],
            Queues = [],
            KeepRates = [],
            ProcessCpu = TimeSpan.Zero,
            WorkingSetBytes = 1,
            Components =
            [
                new ComponentReading("otel-gateway (deployment)/gw-0", ComponentReading.Collector, TimeSpan.FromSeconds(gatewayCpu), QueuedBatches: 2, TracesHeld: 140),
                new ComponentReading("checkout-1", ComponentReading.Process, TimeSpan.FromSeconds(serviceCpu), RssBytes: 80L * 1024 * 1024),
            ],
        };
        var readings = new[] { Reading(0, 1.0, 2.0), Reading(1, 1.3, 2.5) };
        var report = Report() with { Pipeline = PipelineWindow.Between(readings[0], readings[1], []), Readings = readings };

        var text = LoadReportText.Write(report);
        var md = LoadReportMarkdown.Write(report);
        var html = LoadReportHtml.Write(report);

        Assert.Matches(@"otel-gateway \(deployment\)/gw-0 +│ collector +│ 0\.300 │ held 2 queued batches, 140 traces", text);
        Assert.Matches(@"checkout-1 +│ process +│ 0\.500 │ RSS 80 MiB", text);
        Assert.Contains("| checkout-1 | process | 0.500 | RSS 80 MiB |", md, StringComparison.Ordinal);
        Assert.Contains(ComponentWindow.Meaning, md, StringComparison.Ordinal);
        Assert.Contains("aria-label=\"CPU per component (collectors summed per tier)\"", html, StringComparison.Ordinal);
    }

    private static LoadReport Report()
    {
        var total = new StepStats();
        var phases = new[] { new StepStats(), new StepStats() };
        for (var i = 0; i < 40; i++)
        {
            var response = i % 20 == 0 ? StepResponse.Fail("500", 40) : StepResponse.Ok("200", 40);
            var at = TimeSpan.FromSeconds(i / 4.0);
            total.Record(response, TimeSpan.FromMilliseconds(10 + i), at);
            phases[i < 20 ? 0 : 1].Record(response, TimeSpan.FromMilliseconds(10 + i), at);
        }

        var simulations = new LoadSimulation[] { new InjectSimulation { Rate = 4, During = TimeSpan.FromSeconds(5) }, new InjectSimulation { Rate = 4, During = TimeSpan.FromSeconds(5) } };
        var window = LoadThresholdTests.Window(dropped: 3, keptErrors: 2, errors: 2);
        var stats = new ScenarioStatsSnapshot("trace", "POST /checkout", total.Snapshot(TimeSpan.FromSeconds(10)),
            [.. simulations.Select((s, i) => new PhaseStatsSnapshot(i, s, TimeSpan.FromSeconds(5 * i), TimeSpan.FromSeconds(5 * (i + 1)), phases[i].Snapshot(TimeSpan.FromSeconds(5))))]);
        LoadThreshold.TryParse("dropped == 0", out var dropped, out _);
        return new LoadReport
        {
            Scenario = "payments-load",
            TimeScale = 10,
            StartedAt = DateTimeOffset.UnixEpoch,
            WallDuration = TimeSpan.FromSeconds(1),
            Scenarios = [stats],
            Pipeline = window,
            Readings = [],
            Thresholds = LoadThresholds.Evaluate([dropped!], [stats], window),
        };
    }
}
