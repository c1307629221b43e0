using OtelLab.Load.Simulations;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Load.Simulations;

/// <summary>
/// The load runner paces on the clock it is given (the lab clock in a lab): on a manual clock, every lab second
/// starts exactly the invocations the simulation plans, so the counts per interval are exact (the tolerance of a
/// deterministic schedule on a clock that only moves when told is zero).
/// </summary>
[Trait("Category", "Unit")]
public sealed class LoadRunTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Inject_pause_and_ramp_start_the_planned_invocations_in_each_lab_second()
    {
        // Given a scenario of inject 10/s for 3 s, a 2 s pause, then a ramp to 8/s over 4 s, on a manual clock
        var ct = TestContext.Current.CancellationToken;
        var clock = new ManualTimeProvider();
        long invocations = 0;
        var scenario = new LoadScenario
        {
            Name = "trace",
            StepName = "step",
            Step = _ =>
            {
                Interlocked.Increment(ref invocations);
                return Task.FromResult(StepResponse.Ok("200", 100));
            },
            Simulations =
            [
                new InjectSimulation { Rate = 10, Interval = Second, During = TimeSpan.FromSeconds(3) },
                new PauseSimulation { During = TimeSpan.FromSeconds(2) },
                new RampingInjectSimulation { Rate = 8, Interval = Second, During = TimeSpan.FromSeconds(4) },
            ],
        };
        var run = new LoadRun([scenario], clock);
        long[] expected = [10, 10, 10, 0, 0, 2, 4, 6, 8];

        // When the clock moves one second at a time, once the runner waits for its next tick
        var running = Task.Run(() => run.RunAsync(ct), ct);
        var seen = new List<long>();
        long before = 0;
        for (var second = 0; second < expected.Length; second++)
        {
            var cumulative = expected.Take(second + 1).Sum();
            Assert.True(await WaitAsync(() => Interlocked.Read(ref invocations) == cumulative && clock.PendingTimers > 0, ct),
                $"second {second}: {Interlocked.Read(ref invocations)} invocations, expected {cumulative}");
            seen.Add(Interlocked.Read(ref invocations) - before);
            before = Interlocked.Read(ref invocations);
            clock.Advance(Second);
        }

        var stats = await running.WaitAsync(TimeSpan.FromSeconds(30), ct);

        // Then each lab second started exactly what the plan says, and the stats agree per second and per phase
        Assert.Equal(expected, seen);
        var trace = Assert.Single(stats);
        Assert.Equal(expected.Sum(), trace.Total.Ok);
        Assert.Equal(expected.Where(e => e > 0), trace.Total.Timeline.Select(b => b.Ok));
        Assert.Equal([30L, 0L, 20L], trace.Phases.Select(p => p.Stats.Count));
        Assert.Equal(10, trace.Phases[0].Stats.Rps, 3);
        Assert.Equal(100 * expected.Sum(), trace.Total.BytesAll);
        Assert.Equal(expected.Sum(), trace.Total.StatusCodes["200"]);
    }

    [Fact]
    public async Task RampingConstant_adds_a_copy_each_second_and_KeepConstant_never_runs_more_than_its_copies()
    {
        // Given steps that block until the test releases them, so the copies in flight can be counted
        var ct = TestContext.Current.CancellationToken;
        var clock = new ManualTimeProvider();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var inFlight = 0;
        var scenario = new LoadScenario
        {
            Name = "otlp",
            StepName = "step",
            Step = async c =>
            {
                Interlocked.Increment(ref inFlight);
                await Volatile.Read(ref release).Task.WaitAsync(c);
                Interlocked.Decrement(ref inFlight);
                return StepResponse.Ok();
            },
            Simulations =
            [
                new RampingConstantSimulation { Copies = 4, During = TimeSpan.FromSeconds(4) },
                new KeepConstantSimulation { Copies = 2, During = TimeSpan.FromSeconds(2) },
            ],
        };
        var run = new LoadRun([scenario], clock);
        var running = Task.Run(() => run.RunAsync(ct), ct);

        // When the ramp runs second by second: 1, 2, 3, 4 copies in flight
        var copies = new List<int>();
        for (var second = 1; second <= 4; second++)
        {
            var want = second;
            Assert.True(await WaitAsync(() => Volatile.Read(ref inFlight) == want && clock.PendingTimersDueBy(clock.GetUtcNow() + Second) > 0, ct), $"ramp second {second}: {Volatile.Read(ref inFlight)} in flight");
            copies.Add(Volatile.Read(ref inFlight));
            clock.Advance(Second);
        }

        // Then keepConstant(2) starts two copies beside the ramp's four blocked ones; releasing them all ends the ramp's
        // copies (their phase is over) while the two loop on
        // (waiting for the ramp's end and both keepConstant copies in flight, so no copy races the release)
        Assert.True(await WaitAsync(() => run.Snapshot()[0].Phases[0].EndedAt is not null && Volatile.Read(ref inFlight) == 6, ct), $"ramp ended, keepConstant started: {Volatile.Read(ref inFlight)} in flight");
        Release(ref release);
        Assert.True(await WaitAsync(() => Volatile.Read(ref inFlight) == 2 && run.Snapshot()[0].Total.Count == 6, ct), $"keepConstant: {Volatile.Read(ref inFlight)} in flight");
        Release(ref release);
        Assert.True(await WaitAsync(() => Volatile.Read(ref inFlight) == 2 && run.Snapshot()[0].Total.Count == 8, ct), "the two copies loop again after their iteration");
        clock.Advance(Second);
        clock.Advance(Second);
        // the phase is over before its copies' iterations end, so none of them starts another
        Assert.True(await WaitAsync(() => run.Snapshot()[0].Phases[1].EndedAt is not null, ct), "keepConstant's phase ended");
        Release(ref release);
        var stats = await running.WaitAsync(TimeSpan.FromSeconds(30), ct);

        Assert.Equal([1, 2, 3, 4], copies);
        Assert.Equal(0, Volatile.Read(ref inFlight));
        // each ramp copy ran once (blocked until its phase ended)
        Assert.Equal(4, stats[0].Phases[0].Stats.Count);
        // keepConstant's copies ran at least the two iterations counted above, every one of them in its own phase; a copy's
        // last iteration may end after the phase and is then counted or not depending on when the copy saw the end.
        Assert.InRange(stats[0].Phases[1].Stats.Count, 4, 6);
        Assert.Equal(stats[0].Total.Count, stats[0].Phases[0].Stats.Count + stats[0].Phases[1].Stats.Count);
    }

    [Fact]
    public async Task A_phase_hook_that_answers_false_stops_the_run_after_that_phase()
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new ManualTimeProvider();
        var ended = new List<int>();
        var scenario = new LoadScenario
        {
            Name = "trace",
            StepName = "step",
            Step = _ => Task.FromResult(StepResponse.Fail("500")),
            Simulations = [.. Enumerable.Range(1, 5).Select(r => new InjectSimulation { Rate = r, During = Second })],
        };
        var run = new LoadRun([scenario], clock)
        {
            PhaseCompleted = (end, _) =>
            {
                ended.Add(end.Index);
                return Task.FromResult(end.Index < 1);
            },
        };

        var running = Task.Run(() => run.RunAsync(ct), ct);
        for (var i = 0; i < 2; i++)
        {
            Assert.True(await WaitAsync(() => clock.PendingTimersDueBy(clock.GetUtcNow() + Second) > 0, ct));
            clock.Advance(Second);
        }

        var stats = await running.WaitAsync(TimeSpan.FromSeconds(30), ct);

        Assert.Equal([0, 1], ended);
        Assert.Equal(3, stats[0].Total.Fail);
        Assert.Equal(1, stats[0].Total.FailRate);
        Assert.Equal([1L, 2L, 0L, 0L, 0L], stats[0].Phases.Select(p => p.Stats.Count));
    }

    [Fact]
    public async Task A_phase_whose_invocations_take_lab_time_to_start_ends_late_by_that_much()
    {
        // Given 20 invocations due at the phase's start, each taking 100 ms of lab time before it yields (synchronous work)
        var ct = TestContext.Current.CancellationToken;
        var clock = new ManualTimeProvider();
        LoadPhaseEnd? ended = null;
        var scenario = new LoadScenario
        {
            Name = "farm",
            StepName = "replace a target pod",
            Step = _ =>
            {
                clock.Advance(TimeSpan.FromMilliseconds(100));
                return Task.FromResult(StepResponse.Ok("200", 0));
            },
            Simulations = [new InjectSimulation { Rate = 20, During = Second }],
        };
        var run = new LoadRun([scenario], clock) { PhaseCompleted = (end, _) => Task.FromResult((ended = end) is not null) };

        // When the run goes through its one phase (2 s of lab time pass issuing a 1 s phase)
        await run.RunAsync(ct).WaitAsync(TimeSpan.FromSeconds(30), ct);

        // Then the phase reports it ended 1 s late: the generator could not start its requests on schedule
        Assert.NotNull(ended);
        Assert.Equal(Second, ended.EndedAt);
        Assert.Equal(TimeSpan.FromSeconds(1), ended.Late);
    }

    [Fact]
    public async Task An_invocation_due_between_milliseconds_starts_at_its_tick_or_within_a_millisecond_after_never_before()
    {
        // Given one invocation every 10/3 ms for 20 ticks (ticks between whole milliseconds), on a manual clock; the
        // runtime's timers count whole milliseconds, so a wait of 3.33 ms handed to Task.Delay as it is fires at 3 ms
        var ct = TestContext.Current.CancellationToken;
        var clock = new ManualTimeProvider();
        var interval = TimeSpan.FromTicks(TimeSpan.TicksPerMillisecond * 10 / 3);
        const int ticks = 20;
        var started = new List<TimeSpan>();
        var t0 = clock.GetUtcNow();
        var scenario = new LoadScenario
        {
            Name = "paced",
            StepName = "step",
            Step = _ =>
            {
                lock (started)
                {
                    started.Add(clock.GetUtcNow() - t0);
                }

                return Task.FromResult(StepResponse.Ok("200", 0));
            },
            Simulations = [new InjectSimulation { Rate = 1, Interval = interval, During = interval * ticks }],
        };
        var run = new LoadRun([scenario], clock);

        // When the clock moves to each timer the runner arms, as soon as it is armed
        var running = Task.Run(() => run.RunAsync(ct), ct);
        while (!running.IsCompleted)
        {
            Assert.True(await WaitAsync(() => clock.PendingTimers > 0 || running.IsCompleted, ct), $"the runner armed no timer after {started.Count} invocations");
            if (clock.NextTimerDue is { } due)
            {
                clock.Advance(due - clock.GetUtcNow());
            }
        }

        await running.WaitAsync(TimeSpan.FromSeconds(30), ct);

        // Then tick k's invocation started at k × 10/3 ms or up to a millisecond later (the wait rounded up), never earlier
        Assert.Equal(ticks, started.Count);
        var order = started.Order().ToList();
        for (var k = 0; k < ticks; k++)
        {
            var tick = interval * k;
            Assert.True(order[k] >= tick && order[k] < tick + TimeSpan.FromMilliseconds(1), $"tick {k} due at {tick.TotalMilliseconds:0.000} ms started at {order[k].TotalMilliseconds:0.000} ms");
        }
    }

    private static void Release(ref TaskCompletionSource release)
    {
        var old = Interlocked.Exchange(ref release, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        old.SetResult();
    }

    private static async Task<bool> WaitAsync(Func<bool> condition, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Yield();
            await Task.Delay(2, ct);
        }

        return true;
    }
}
