using System.Diagnostics;
using OtelLab.Model.Diagnostics;
using OtelLab.Model.Time;

namespace OtelLab.Load.Simulations;

/// <summary>
/// Runs load scenarios (NBomber's runner, in the lab): every scenario's simulations in sequence, the scenarios in
/// parallel, paced on <see cref="TimeProvider"/> — the lab clock, so a scenario's timeScale makes lab seconds cheap and
/// a rate is per lab second. Latency is wall time (real sockets). Stats are live (<see cref="Snapshot"/>) for progress
/// views, per scenario and per phase.
/// </summary>
public sealed class LoadRun
{
    private readonly TimeProvider _time;
    private readonly IReadOnlyList<LoadScenario> _scenarios;
    private readonly Dictionary<string, ScenarioTally> _tallies;
    private long _start;
    private int _started;

    public LoadRun(IReadOnlyList<LoadScenario> scenarios, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(scenarios);
        ArgumentNullException.ThrowIfNull(time);
        if (scenarios.GroupBy(s => s.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new ArgumentException($"two load scenarios are named {twice.Key}", nameof(scenarios));
        }

        _scenarios = scenarios;
        _time = time;
        _tallies = scenarios.ToDictionary(s => s.Name, s => new ScenarioTally(s), StringComparer.Ordinal);
    }

    /// <summary>
    /// Called once a phase's lab time has passed; answering false stops the whole run (the limit search stops at the
    /// first breached step).
    /// </summary>
    public Func<LoadPhaseEnd, CancellationToken, Task<bool>>? PhaseCompleted { get; init; }

    /// <summary>CPU time the load generator's own work (pacing, requests, stats) used.</summary>
    public ComponentCpu Cpu { get; } = new("load");

    /// <summary>Invocations started and not yet finished.</summary>
    public int InFlight => _tallies.Values.Sum(t => Volatile.Read(ref t.InFlight));

    /// <summary>Lab time since the run started (zero before).</summary>
    public TimeSpan Elapsed => Volatile.Read(ref _started) == 0 ? TimeSpan.Zero : _time.GetElapsedTime(_start);

    /// <summary>Lab time the whole run is planned to take (the longest scenario).</summary>
    public TimeSpan PlannedDuration => _scenarios.Count == 0 ? TimeSpan.Zero : _scenarios.Max(s => s.Duration);

    /// <summary>Every scenario's stats now (for the whole run so far, and per phase).</summary>
    public IReadOnlyList<ScenarioStatsSnapshot> Snapshot()
    {
        var elapsed = Elapsed;
        return [.. _scenarios.Select(s => _tallies[s.Name].Snapshot(elapsed))];
    }

    /// <summary>Runs every scenario to its end (or until cancelled or a <see cref="PhaseCompleted"/> says stop), then waits for the invocations in flight.</summary>
    public async Task<IReadOnlyList<ScenarioStatsSnapshot>> RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) == 1)
        {
            throw new InvalidOperationException("a load run runs once");
        }

        // The load generator's own CPU, beside the components it loads (see ComponentCpu).
        ComponentCpu.Enter(Cpu);
        _start = _time.GetTimestamp();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await Task.WhenAll(_scenarios.Select(s => RunScenarioAsync(s, stop))).ConfigureAwait(false);
        // Until nothing is left in flight: an iteration that ends may already have started the next one of its copy.
        while (_tallies.Values.SelectMany(t => t.Pending()).Where(t => !t.IsCompleted).ToList() is { Count: > 0 } pending)
        {
            await Task.WhenAll(pending).ConfigureAwait(false);
        }

        return Snapshot();
    }

    private async Task RunScenarioAsync(LoadScenario scenario, CancellationTokenSource stop)
    {
        var tally = _tallies[scenario.Name];
        var offset = TimeSpan.Zero;
        var rate = 0.0;
        var copies = 0;
        for (var i = 0; i < scenario.Simulations.Count && !stop.IsCancellationRequested; i++)
        {
            var simulation = scenario.Simulations[i];
            tally.PhaseStarted(i, offset);
            try
            {
                switch (simulation)
                {
                    case InjectSimulation or RampingInjectSimulation:
                        foreach (var (at, invocations) in LoadSchedule.Ticks(simulation, rate))
                        {
                            await DelayUntilAsync(offset + at, stop.Token).ConfigureAwait(false);
                            for (var n = 0; n < invocations; n++)
                            {
                                tally.Track(InvokeAsync(scenario, tally, i, stop.Token));
                            }
                        }

                        break;
                    case KeepConstantSimulation or RampingConstantSimulation:
                        await RunClosedAsync(scenario, tally, i, simulation, copies, offset, stop.Token).ConfigureAwait(false);
                        break;
                }

                await DelayUntilAsync(offset + simulation.During, stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }

            var late = _time.GetElapsedTime(_start) - (offset + simulation.During);
            tally.PhaseEnded(i, offset + simulation.During);
            rate = LoadSchedule.RateAfter(simulation);
            copies = LoadSchedule.CopiesAfter(simulation);
            if (PhaseCompleted is { } hook && !await hook(new LoadPhaseEnd(scenario.Name, i, simulation, offset, offset + simulation.During) { Late = late > TimeSpan.Zero ? late : TimeSpan.Zero }, stop.Token).ConfigureAwait(false))
            {
                await stop.CancelAsync().ConfigureAwait(false);
            }

            offset += simulation.During;
        }
    }

    // Closed model: copies loop the step; the count is re-read every lab second (a ramp moves in whole copies).
    private async Task RunClosedAsync(LoadScenario scenario, ScenarioTally tally, int phase, LoadSimulation simulation, int previousCopies, TimeSpan offset, CancellationToken cancellationToken)
    {
        var target = 0;
        var running = 0;
        using var phaseEnd = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var step = simulation.During < TimeSpan.FromSeconds(1) ? simulation.During : TimeSpan.FromSeconds(1);
        try
        {
            for (var at = TimeSpan.Zero; at < simulation.During; at += step)
            {
                await DelayUntilAsync(offset + at, cancellationToken).ConfigureAwait(false);
                Volatile.Write(ref target, LoadSchedule.CopiesAt(simulation, previousCopies, at + step));
                for (; running < Volatile.Read(ref target); running++)
                {
                    var index = running;
                    tally.Track(CopyAsync(index));
                }

                running = Math.Min(running, Volatile.Read(ref target));
            }

            await DelayUntilAsync(offset + simulation.During, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await phaseEnd.CancelAsync().ConfigureAwait(false);
        }

        async Task CopyAsync(int index)
        {
            // A copy above the current target ends after its iteration (ramping down); every copy ends with the phase.
            while (!phaseEnd.IsCancellationRequested && index < Volatile.Read(ref target))
            {
                await InvokeAsync(scenario, tally, phase, cancellationToken).ConfigureAwait(false);
                await Task.Yield();
            }
        }
    }

    private async Task InvokeAsync(LoadScenario scenario, ScenarioTally tally, int phase, CancellationToken cancellationToken)
    {
        var startedAt = _time.GetElapsedTime(_start);
        var wall = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref tally.InFlight);
        StepResponse response;
        try
        {
            response = await scenario.Step(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            response = StepResponse.Fail("cancelled");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The step's contract is to return a fail; a throw is still counted, never lost.
            response = StepResponse.Fail(e.GetType().Name);
        }
        finally
        {
            Interlocked.Decrement(ref tally.InFlight);
        }

        tally.Record(phase, response, Stopwatch.GetElapsedTime(wall), startedAt);
    }

    private async Task DelayUntilAsync(TimeSpan due, CancellationToken cancellationToken)
    {
        var wait = due - _time.GetElapsedTime(_start);
        if (wait > TimeSpan.Zero)
        {
            // Rounded up: the timer counts whole milliseconds, so an invocation would otherwise start up to one early.
            await Task.Delay(TimerResolution.RoundUp(wait), _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private sealed class ScenarioTally(LoadScenario scenario)
    {
        private readonly StepStats _total = new();
        private readonly StepStats[] _phases = [.. scenario.Simulations.Select(_ => new StepStats())];
        private readonly (TimeSpan? Start, TimeSpan? End)[] _windows = new (TimeSpan?, TimeSpan?)[scenario.Simulations.Count];
        private readonly List<Task> _pending = [];
        private readonly Lock _gate = new();
        public int InFlight;

        public void PhaseStarted(int i, TimeSpan at)
        {
            lock (_gate)
            {
                _windows[i] = (at, null);
            }
        }

        public void PhaseEnded(int i, TimeSpan at)
        {
            lock (_gate)
            {
                _windows[i] = (_windows[i].Start, at);
            }
        }

        public void Track(Task task)
        {
            lock (_gate)
            {
                _pending.RemoveAll(t => t.IsCompleted);
                _pending.Add(task);
            }
        }

        public IReadOnlyList<Task> Pending()
        {
            lock (_gate)
            {
                return [.. _pending];
            }
        }

        public void Record(int phase, StepResponse response, TimeSpan latency, TimeSpan startedAt)
        {
            _total.Record(response, latency, startedAt);
            _phases[phase].Record(response, latency, startedAt);
        }

        public ScenarioStatsSnapshot Snapshot(TimeSpan elapsed)
        {
            lock (_gate)
            {
                var end = elapsed < scenario.Duration ? elapsed : scenario.Duration;
                var phases = scenario.Simulations.Select((s, i) =>
                {
                    var (start, stop) = _windows[i];
                    var length = start is not { } from ? TimeSpan.Zero : (stop ?? end) - from;
                    return new PhaseStatsSnapshot(i, s, start, stop, _phases[i].Snapshot(length < TimeSpan.Zero ? TimeSpan.Zero : length));
                }).ToList();
                return new ScenarioStatsSnapshot(scenario.Name, scenario.StepName, _total.Snapshot(end), phases);
            }
        }
    }
}

/// <summary>One scenario's stats: the whole run so far and each phase.</summary>
public sealed record ScenarioStatsSnapshot(string Scenario, string Step, StepStatsSnapshot Total, IReadOnlyList<PhaseStatsSnapshot> Phases);

/// <summary>One phase's stats; <paramref name="StartedAt"/> is null until it started, <paramref name="EndedAt"/> until it ended (lab time since the run's start).</summary>
public sealed record PhaseStatsSnapshot(int Index, LoadSimulation Simulation, TimeSpan? StartedAt, TimeSpan? EndedAt, StepStatsSnapshot Stats);
