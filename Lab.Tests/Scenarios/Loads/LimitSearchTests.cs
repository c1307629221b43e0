using OtelLab.Load.Simulations;
using OtelLab.Scenarios.Loads;

namespace OtelLab.Tests.Scenarios.Loads;

/// <summary>The limit search's judgement of a step and its verdict, from NBomber's stats and the collectors' counters.</summary>
[Trait("Category", "Unit")]
public sealed class LimitSearchTests
{
    private static readonly IReadOnlyList<LoadThreshold> Thresholds = LimitSearch.Applicable([]);

    [Fact]
    public void The_plan_doubles_the_rate_and_the_default_thresholds_leave_keep_rates_out()
    {
        var plan = LimitSearch.Plan(2, 4, TimeSpan.FromSeconds(20));
        var applicable = LimitSearch.Applicable([Parse("keep-rate(error) == 100%"), Parse("trace: p99 < 1ms"), Parse("dropped == 0")]);

        Assert.Equal([2.0, 4, 8, 16], plan.Cast<InjectSimulation>().Select(s => s.Rate));
        Assert.Equal(["dropped == 0"], applicable.Select(t => t.Text));
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
        Assert.Contains("the agent's OTLP receiver (or this machine): requests queued at the front", result.FirstSaturated, StringComparison.Ordinal);
    }

    private static LimitStep Step(int index, double rate, PipelineWindow window, long delivered, bool behind = false)
    {
        var stats = new StepStats();
        for (var i = 0; i < delivered; i++)
        {
            stats.Record(StepResponse.Ok("200", 3000), TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(i * 20.0 / delivered));
        }

        var simulation = new InjectSimulation { Rate = rate, During = TimeSpan.FromSeconds(20) };
        return LimitSearch.Judge(index, simulation, spansPerRequest: 50, timeScale: 10, stats.Snapshot(TimeSpan.FromSeconds(20)), window, Thresholds, behind);
    }

    private static PipelineWindow Window(long queue, long refusedByProcessor)
    {
        static PipelineReading Reading(TimeSpan at, long spans, long refused, long size) => new()
        {
            At = at,
            WallTimestamp = at.Ticks,
            Tiers = [new TierReading("otel-gateway (deployment)", spans, spans, 0, 0, 0, refused, 0, 0)],
            Queues = [new QueueReading("otel-gateway (deployment)", "gw-0/otlphttp (traces)", size, 1000)],
            KeepRates = [],
            ProcessCpu = TimeSpan.Zero,
            WorkingSetBytes = 1,
        };

        return PipelineWindow.Between(Reading(TimeSpan.Zero, 0, 0, 0), Reading(TimeSpan.FromSeconds(20), 4000, refusedByProcessor, queue), []);
    }

    private static LoadThreshold Parse(string text) => LoadThreshold.TryParse(text, out var t, out var e) ? t! : throw new ArgumentException(e);
}
