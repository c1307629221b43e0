using OtelLab.Model.Time;
using OtelLab.Sim.Collector.Processors.TailSampling;
using OtelLab.Sim.Collector.Traces;
using OtelLab.Tests.Support;
using static OtelLab.Tests.Sim.Collector.Processors.TailSampling.TestSpans;

namespace OtelLab.Tests.Sim.Collector.Processors.TailSampling;

/// <summary>tail_sampling's decision_wait and tick read the one lab clock, so a scenario's timeScale scales them.</summary>
[Trait("Category", "Unit")]
public sealed class TailSamplingOnTheLabClockTests
{
    [Fact]
    public async Task At_time_scale_ten_a_ten_second_decision_wait_decides_after_one_second_of_wall_time()
    {
        // Given the gateway's policy (errors kept) with decision_wait 10 s on a lab clock running 10× the wall clock
        var wall = new ManualTimeProvider();
        var clock = new LabClock(10, wall);
        var forwardedAt = new List<DateTimeOffset>();
        var next = new TraceConsumer((spans, _) =>
        {
            lock (forwardedAt)
            {
                forwardedAt.AddRange(spans.Select(_ => wall.GetUtcNow()));
            }

            return ValueTask.CompletedTask;
        });
        var config = new TailSamplingConfig
        {
            DecisionWait = TimeSpan.FromSeconds(10),
            Policies = [new() { Name = "errors", Type = "status_code", StatusCode = new(["ERROR"]) }],
        };
        await using var processor = new TailSamplingProcessor(config, next, clock, ledger: new TailSamplingLedger());
        processor.Start();
        var sent = wall.GetUtcNow();
        await processor.ConsumeAsync([Span(Id(1), SpanStatusCode.Error)], TestContext.Current.CancellationToken);

        // When the wall clock moves in 10 ms steps
        while (forwardedAt.Count == 0 && wall.GetUtcNow() - sent < TimeSpan.FromSeconds(10))
        {
            wall.Advance(TimeSpan.FromMilliseconds(10));
        }

        // Then the trace was decided 10–11 s of lab time after it arrived (decision_wait, then the 1 s tick): 1.0–1.1 s
        // of wall time, where the unscaled processor takes 10–11 s.
        var waited = Assert.Single(forwardedAt) - sent;
        Assert.InRange(waited, TimeSpan.FromSeconds(1.0), TimeSpan.FromSeconds(1.1));
    }
}
