using OtelLab.Load.Simulations;
using OtelLab.Scenarios.Definition;
using OtelLab.Scenarios.Loads;
using OtelLab.Scenarios.Monitoring;

namespace OtelLab.Tests.Scenarios.Loads;

/// <summary>The limit search's judgement of a step and its verdict, from NBomber's stats and the collectors' counters.</summary>
[Trait("Category", "Unit")]
public sealed class LimitSearchTests
{
    private static readonly LimitTarget Otlp = LimitTarget.For("otlp", new LoadSpec())!;
    private static readonly IReadOnlyList<LoadThreshold> Thresholds = LimitSearch.Applicable([], Otlp);

    [Fact]
    public void The_plan_doubles_the_rate_and_the_default_thresholds_leave_keep_rates_out()
    {
        var plan = LimitSearch.Plan(2, 4, TimeSpan.FromSeconds(20));
        var applicable = LimitSearch.Applicable([Parse("keep-rate(error) == 100%"), Parse("trace: p99 < 1ms"), Parse("dropped == 0")], Otlp);

        Assert.Equal([2.0, 4, 8, 16], plan.Cast<InjectSimulation>().Select(s => s.Rate));
        // no otlp request threshold in the scenario: the target's defaults for its requests, the scenario's for the pipeline
        Assert.Equal(["otlp: fail rate < 1%", "otlp: p99 < 1000ms", "dropped == 0"], applicable.Select(t => t.Text));
        Assert.Equal(["otlp: fail rate < 1%", "otlp: p99 < 1000ms", "dropped == 0", "refused == 0"], Thresholds.Select(t => t.Text));
    }

    [Fact]
    public void The_sustained_rate_is_the_last_step_that_held_and_the_first_saturation_is_named()
    {
        // Given three steps: one clean, one whose gateway queue filled (thresholds still held), one where memory_limiter refused
        var steps = new[]
        {
            Step(0, 2, Window(queue: 10, refusedByProcessor: 0), delivered: 40),
            Step(1, 4, Window(queue: 1000, refusedByProcessor: 0), delivered: 80),
            Step(2, 8, Window(queue: 1000, refusedByProcessor: 250), delivered: 160),
        };

        var result = LimitSearch.Conclude(steps, cores: 2);
        var lines = result.Describe();

        Assert.Equal(1, result.Sustained!.Index);
        Assert.Equal(2, result.Breaking!.Index);
        Assert.Equal("sending queue full: gw-0/otlphttp (traces) held 1000 of 1000 batches (first seen at step 2, 200 spans per lab second)", result.FirstSaturated);
        Assert.Contains(lines, l => l.StartsWith("step 3: 8 requests = 400 spans per lab second (4,000 per wall second at timeScale 10): BREACHED refused == 0 (measured 250)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("sustained: 200 spans per lab second (2,000 per wall second) into the agent; per tier: otel-gateway (deployment)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("CPU budget: the whole lab", StringComparison.Ordinal) && l.Contains("2 core(s)", StringComparison.Ordinal));
        Assert.Contains(steps[2].Saturation, s => s == "memory_limiter refusing: otel-gateway (deployment) processors refused 250 items");
    }

    [Fact]
    public void A_step_whose_requests_did_not_finish_did_not_hold_and_a_breach_while_the_simulator_was_behind_is_not_the_pipelines()
    {
        var late = Step(0, 100, Window(queue: 0, refusedByProcessor: 0), delivered: 1200, behind: true);

        var result = LimitSearch.Conclude([late], cores: 2);

        Assert.False(late.Delivered);
        Assert.Null(result.Sustained);
        Assert.Contains(result.Describe(), l => l.StartsWith("the breaking step was measured while the simulator itself was behind its schedule: that is the simulator's", StringComparison.Ordinal));
        // behind: the simulator is named first; on time, the front that did not keep up
        Assert.StartsWith("the simulator fell behind its schedule", result.FirstSaturated, StringComparison.Ordinal);
        var onTime = LimitSearch.Conclude([Step(0, 100, Window(queue: 0, refusedByProcessor: 0), delivered: 1200)], cores: 2);
        Assert.Contains("the agent's OTLP receiver (or this machine): requests queued at the front", onTime.FirstSaturated, StringComparison.Ordinal);
    }

    [Fact]
    public void A_search_on_checkouts_judges_the_trace_thresholds_with_keep_rates_and_reads_its_tiers_in_spans()
    {
        var trace = LimitTarget.For("trace", new LoadSpec { ErrorRatio = 0.05 })!;
        var scenarioThresholds = new[] { Parse("trace: p99 < 2000ms"), Parse("otlp: p99 < 1ms"), Parse("keep-rate(error) == 100%"), Parse("farm: fail rate < 1%") };

        var applicable = LimitSearch.Applicable(scenarioThresholds, trace);
        var defaults = LimitSearch.Applicable([], trace);
        var stats = new StepStats();
        for (var i = 0; i < 90; i++)
        {
            stats.Record(StepResponse.Ok("200", 40), TimeSpan.FromMilliseconds(30), TimeSpan.FromSeconds(i * 20.0 / 90));
        }

        var step = LimitSearch.Judge(0, new InjectSimulation { Rate = 5, During = TimeSpan.FromSeconds(20) }, trace, 10, stats.Snapshot(TimeSpan.FromSeconds(20)), Window(queue: 0, refusedByProcessor: 0), applicable, simulatorBehind: false);
        var lines = LimitSearch.Conclude([step], cores: 2).Describe();

        Assert.Equal(["trace: p99 < 2000ms", "keep-rate(error) == 100%"], applicable.Select(t => t.Text));
        Assert.Equal(["trace: fail rate < 10%", "trace: p99 < 2000ms", "dropped == 0", "refused == 0", "keep-rate(error) == 100%"], defaults.Select(t => t.Text));
        Assert.Equal(100, step.Planned);
        Assert.True(step.Held);
        Assert.Contains(lines, l => l.StartsWith("step 1: 5 checkouts per lab second (50 per wall second at timeScale 10): held", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("sustained: 5 checkouts per lab second (50 per wall second) into the front service; per tier: otel-gateway (deployment) 200 in / 200 out spans/s", StringComparison.Ordinal));
    }

    [Fact]
    public void A_search_on_the_farm_reads_its_tiers_in_points_and_a_simulator_behind_is_named_as_what_saturated()
    {
        var farm = LimitTarget.For("farm", new LoadSpec())!;
        var stats = new StepStats();
        for (var i = 0; i < 10; i++)
        {
            stats.Record(StepResponse.Ok("200", 0), TimeSpan.FromMilliseconds(8), TimeSpan.FromSeconds(i * 2.0));
        }

        var window = Window(queue: 0, refusedByProcessor: 0, points: 9000);
        var held = LimitSearch.Judge(0, new InjectSimulation { Rate = 0.5, During = TimeSpan.FromSeconds(20) }, farm, 10, stats.Snapshot(TimeSpan.FromSeconds(20)), window, LimitSearch.Applicable([], farm), simulatorBehind: false);
        var behind = LimitSearch.Judge(1, new InjectSimulation { Rate = 1, During = TimeSpan.FromSeconds(20) }, farm, 10, stats.Snapshot(TimeSpan.FromSeconds(20)), window, LimitSearch.Applicable([], farm), simulatorBehind: true);
        var result = LimitSearch.Conclude([held, behind], cores: 2);

        Assert.Equal(10, held.Planned);
        Assert.Empty(held.Saturation);
        Assert.Equal("the simulator fell behind its schedule (its timers fired late): this machine's CPU, before any emulated component", Assert.Single(behind.Saturation));
        Assert.StartsWith("the simulator fell behind", result.FirstSaturated, StringComparison.Ordinal);
        Assert.Contains(result.Describe(), l => l.StartsWith("sustained: 0.5 pod replacements per lab second (5 per wall second) in the target farm; per tier: otel-gateway (deployment) 450 in / 450 out points/s", StringComparison.Ordinal));
        Assert.Null(LimitTarget.For("everything", new LoadSpec()));
    }

    [Fact]
    public void A_step_that_ended_late_did_not_hold_and_names_the_load_generator()
    {
        var stats = new StepStats();
        for (var i = 0; i < 40; i++)
        {
            stats.Record(StepResponse.Ok("200", 3000), TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(i * 0.5));
        }

        var simulation = new InjectSimulation { Rate = 2, During = TimeSpan.FromSeconds(20) };
        var onTime = LimitSearch.Judge(0, simulation, Otlp, 10, stats.Snapshot(TimeSpan.FromSeconds(20)), Window(0, 0), Thresholds, simulatorBehind: false, late: TimeSpan.FromSeconds(1));
        var late = LimitSearch.Judge(0, simulation, Otlp, 10, stats.Snapshot(TimeSpan.FromSeconds(20)), Window(0, 0), Thresholds, simulatorBehind: false, late: TimeSpan.FromSeconds(5));

        Assert.True(onTime.Held); // within 5 % of 20 s (at least 1 s)
        Assert.False(late.Held);
        Assert.Contains("the step ended 5 s of lab time late: the load generator could not start its requests on schedule", late.Breaches);
        Assert.StartsWith("the load generator fell behind its schedule: the step ended 5 s of lab time late", Assert.Single(late.Saturation), StringComparison.Ordinal);
        var verdict = LimitSearch.Conclude([onTime, late with { Index = 1 }], cores: 2);
        Assert.True(verdict.LimitIsTheLabs);
        Assert.Contains(verdict.Describe(), l => l.StartsWith("the breaking step ended late because the load generator could not start its requests on schedule", StringComparison.Ordinal));
    }

    private static LimitStep Step(int index, double rate, PipelineWindow window, long delivered, bool behind = false)
    {
        var stats = new StepStats();
        for (var i = 0; i < delivered; i++)
        {
            stats.Record(StepResponse.Ok("200", 3000), TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(i * 20.0 / delivered));
        }

        var simulation = new InjectSimulation { Rate = rate, During = TimeSpan.FromSeconds(20) };
        return LimitSearch.Judge(index, simulation, Otlp, timeScale: 10, stats.Snapshot(TimeSpan.FromSeconds(20)), window, Thresholds, behind);
    }

    private static PipelineWindow Window(long queue, long refusedByProcessor, long points = 0)
    {
        PipelineReading Reading(TimeSpan at, long spans, long refused, long size) => new()
        {
            At = at,
            WallTimestamp = at.Ticks,
            Tiers = [new TierReading("otel-gateway (deployment)", spans, spans, at > TimeSpan.Zero ? points : 0, at > TimeSpan.Zero ? points : 0, 0, refused, 0, 0)],
            Queues = [new QueueReading("otel-gateway (deployment)", "gw-0/otlphttp (traces)", size, 1000)],
            KeepRates = at > TimeSpan.Zero ? [new KeepRateRow("error", 4, 4)] : [],
            ProcessCpu = TimeSpan.Zero,
            WorkingSetBytes = 1,
        };

        return PipelineWindow.Between(Reading(TimeSpan.Zero, 0, 0, 0), Reading(TimeSpan.FromSeconds(20), 4000, refusedByProcessor, queue), []);
    }

    private static LoadThreshold Parse(string text) => LoadThreshold.TryParse(text, out var t, out var e) ? t! : throw new ArgumentException(e);
}
