namespace OtelLab.Load.Simulations;

/// <summary>A phase of a scenario has run its course (its lab time has passed; invocations it started may still be in flight).</summary>
/// <param name="Scenario">The scenario's name.</param>
/// <param name="Index">The phase's position in the scenario's simulations.</param>
/// <param name="Simulation">The phase.</param>
/// <param name="StartedAt">Lab time since the run's start when the phase began.</param>
/// <param name="EndedAt">Lab time since the run's start when the phase ended.</param>
public sealed record LoadPhaseEnd(string Scenario, int Index, LoadSimulation Simulation, TimeSpan StartedAt, TimeSpan EndedAt)
{
    /// <summary>
    /// How much lab time after <see cref="EndedAt"/> the generator got there: the phase's invocations start on the
    /// generator's own flow, so one whose synchronous part is slow makes the later ones start late, and the phase ends late.
    /// </summary>
    public TimeSpan Late { get; init; }
}
