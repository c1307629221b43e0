using OtelLab.Load.Simulations;
using OtelLab.Model;
using OtelLab.Scenarios.Definition;
using OtelLab.Scenarios.Loads;
using OtelLab.Scenarios.Monitoring;

namespace OtelLab.Tests.Scenarios.Loads;

/// <summary>Thresholds in NBomber's words plus the pipeline's: parsed, normalised, judged with the measured value.</summary>
[Trait("Category", "Unit")]
public sealed class LoadThresholdTests
{
    [Theory]
    [InlineData("p99 < 400ms", null, "p99", "<", 400)]
    [InlineData("p99 < 400 ms", null, "p99", "<", 400)]
    [InlineData("p95 <= 1.5s", null, "p95", "<=", 1500)]
    [InlineData("fail rate < 1%", null, "fail-rate", "<", 0.01)]
    [InlineData("fail rate < 1 %", null, "fail-rate", "<", 0.01)]
    [InlineData("RPS > 50", null, "rps", ">", 50)]
    [InlineData("dropped == 0", null, "dropped", "==", 0)]
    [InlineData("refused == 0", null, "refused", "==", 0)]
    [InlineData("keep-rate(error) == 100%", null, "keep-rate(error)", "==", 1)]
    [InlineData("max queue < 800", null, "max-queue", "<", 800)]
    [InlineData("trace: p99 < 2000ms", "trace", "p99", "<", 2000)]
    public void Accepted_forms_are_normalised(string text, string? scenario, string metric, string op, double value)
    {
        Assert.True(LoadThreshold.TryParse(text, out var t, out var error), error);

        Assert.Equal((scenario, metric, op), (t!.Scenario, t.Metric, t.Operator));
        Assert.Equal(value, t.Value, 9);
    }

    [Theory]
    [InlineData("p99 under 400ms", "'p99 under 400ms' is not a threshold; accepted: ")]
    [InlineData("p99 < 400%", "'p99 < 400%': a latency takes ms or s, not '%'")]
    [InlineData("fail rate < 5ms", "'fail rate < 5ms': a share takes % (or a ratio 0..1), not 'ms'")]
    [InlineData("dropped == 0%", "'dropped == 0%': dropped is a count and takes no unit, not '%'")]
    [InlineData("keep-rate(all) == 100%", "'keep-rate(all) == 100%': keep rates are by class")]
    public void A_parse_error_names_the_text_and_what_is_accepted(string text, string start)
    {
        Assert.False(LoadThreshold.TryParse(text, out _, out var error));

        Assert.StartsWith(start, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Scenario_yaml_thresholds_are_read_and_a_bad_one_is_refused_at_its_line()
    {
        var scenario = ScenarioLoader.Parse("scenario.yaml", "name: l\nload:\n  rate: 1\n  thresholds: [\"p99 < 400ms\", \"dropped == 0\"]\n");
        var error = Assert.Throws<ManifestException>(() => ScenarioLoader.Parse("scenario.yaml", "name: l\nload:\n  thresholds:\n    - \"p99 < fast\"\n"));

        Assert.Equal(["p99 < 400ms", "dropped == 0"], scenario.Load.Thresholds.Select(t => t.Text));
        Assert.Equal(4, error.Location.Line);
        Assert.StartsWith("load.thresholds[0]: 'p99 < fast' is not a threshold", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_breached_threshold_is_named_with_its_measured_value_per_scenario()
    {
        // Given a trace step with 100 requests (2 failed, latencies 1..100 ms) and an otlp step that failed every request
        var trace = new StepStats();
        for (var i = 1; i <= 100; i++)
        {
            trace.Record(i <= 2 ? StepResponse.Fail("500") : StepResponse.Ok("200"), TimeSpan.FromMilliseconds(i), TimeSpan.FromSeconds(i / 10));
        }

        var otlp = new StepStats();
        otlp.Record(StepResponse.Fail("connect ConnectionRefused"), TimeSpan.FromMilliseconds(1), TimeSpan.Zero);
        var scenarios = new[] { Scenario("trace", trace), Scenario("otlp", otlp) };
        var window = Window(dropped: 7, keptErrors: 9, errors: 10);

        // When thresholds are judged
        var results = LoadThresholds.Evaluate([Parse("p99 < 50ms"), Parse("trace: fail rate < 5%"), Parse("dropped == 0"), Parse("keep-rate(error) == 100%"), Parse("keep-rate(slow) == 100%")], scenarios, window);

        // Then each is judged on its scope with the measured value
        Assert.Equal(
            [("trace", false, 99.0), ("otlp", true, 1.0), ("trace", true, 0.0), ("pipeline", false, 7), ("pipeline", false, 0.9)],
            results.Take(5).Select(r => (r.Scope, r.Passed, Math.Round(r.Measured!.Value, 1))));
        // HdrHistogram keeps 3 significant digits: the 99th of 1..100 ms reads 99.01 ms
        Assert.Equal("FAIL  trace: p99 < 50ms breached: measured 99.01 ms", results[0].Describe());
        Assert.Equal(0.02, results[2].Measured!.Value, 9);
        Assert.Equal("FAIL  pipeline: keep-rate(error) == 100% breached: measured 90 %", results[4].Describe());
        var slow = results[5];
        Assert.False(slow.Passed);
        Assert.Null(slow.Measured);
        Assert.Equal("no slow trace was decided by tail_sampling in the window", slow.Note);
    }

    private static LoadThreshold Parse(string text) => LoadThreshold.TryParse(text, out var t, out var e) ? t! : throw new ArgumentException(e);

    private static ScenarioStatsSnapshot Scenario(string name, StepStats stats) => new(name, "step", stats.Snapshot(TimeSpan.FromSeconds(10)), []);

    internal static PipelineWindow Window(long dropped, long keptErrors, long errors)
    {
        var from = Reading(TimeSpan.Zero, 0, 0, 0, 0);
        var to = Reading(TimeSpan.FromSeconds(10), 1000, dropped, keptErrors, errors);
        return PipelineWindow.Between(from, to, []);
    }

    private static PipelineReading Reading(TimeSpan at, long spans, long sendFailed, long keptErrors, long errors) => new()
    {
        At = at,
        WallTimestamp = at.Ticks,
        Tiers = [new TierReading("otel-gateway (deployment)", spans, spans, 0, 0, 0, 0, sendFailed, 0)],
        Queues = [new QueueReading("otel-gateway (deployment)", "gw-0/otlphttp (traces)", at == TimeSpan.Zero ? 0 : 12, 1000)],
        KeepRates = [new KeepRateRow("error", errors, keptErrors)],
        ProcessCpu = TimeSpan.Zero,
        WorkingSetBytes = 1,
    };
}
