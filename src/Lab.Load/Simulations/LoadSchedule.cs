namespace OtelLab.Load.Simulations;

/// <summary>
/// The arithmetic of a scenario's simulations, apart from any clock: how many invocations each injection tick starts,
/// and how many copies run at an instant. Ramps start from the previous phase's rate or copies (0 at the start and
/// after a pause), as NBomber's ramping simulations do; fractional rates carry over between ticks so a rate of 2.5
/// per interval starts 5 invocations every two intervals, never losing the fraction.
/// </summary>
public static class LoadSchedule
{
    /// <summary>The injection ticks of an inject phase: (offset from the phase's start, invocations started then).</summary>
    public static IReadOnlyList<(TimeSpan At, int Invocations)> Ticks(LoadSimulation simulation, double previousRate)
    {
        ArgumentNullException.ThrowIfNull(simulation);
        var (target, interval, ramp) = simulation switch
        {
            InjectSimulation i => (i.Rate, i.Interval, false),
            RampingInjectSimulation r => (r.Rate, r.Interval, true),
            _ => throw new ArgumentException($"{simulation.Kind} is not an inject simulation", nameof(simulation)),
        };
        var ticks = (int)Math.Ceiling(simulation.During / interval);
        var result = new List<(TimeSpan, int)>(ticks);
        var cumulative = 0.0;
        long started = 0;
        for (var k = 0; k < ticks; k++)
        {
            // upstream NBomber: a RampingInject to 800 reaches 800 per interval at the phase's last interval (PragmaticFlow/NBomber discussion #658).
            var rate = ramp ? previousRate + ((target - previousRate) * (k + 1) / ticks) : target;
            cumulative += rate;
            var due = (long)Math.Floor(cumulative + 1e-9);
            result.Add((interval * k, (int)(due - started)));
            started = due;
        }

        return result;
    }

    /// <summary>The copies a constant phase runs at <paramref name="offset"/> from its start.</summary>
    public static int CopiesAt(LoadSimulation simulation, int previousCopies, TimeSpan offset)
    {
        ArgumentNullException.ThrowIfNull(simulation);
        return simulation switch
        {
            KeepConstantSimulation k => k.Copies,
            RampingConstantSimulation r => (int)Math.Round(previousCopies + ((r.Copies - previousCopies) * Math.Clamp(offset / r.During, 0, 1)), MidpointRounding.AwayFromZero),
            _ => throw new ArgumentException($"{simulation.Kind} is not a constant simulation", nameof(simulation)),
        };
    }

    /// <summary>The rate a phase leaves for the next ramp (0 for closed phases and pauses).</summary>
    public static double RateAfter(LoadSimulation simulation) => simulation switch
    {
        InjectSimulation i => i.Rate,
        RampingInjectSimulation r => r.Rate,
        _ => 0,
    };

    /// <summary>The copies a phase leaves for the next ramp (0 for open phases and pauses).</summary>
    public static int CopiesAfter(LoadSimulation simulation) => simulation switch
    {
        KeepConstantSimulation k => k.Copies,
        RampingConstantSimulation r => r.Copies,
        _ => 0,
    };

    /// <summary>How many invocations the open phases of <paramref name="simulations"/> start in all (closed phases depend on the step's latency).</summary>
    public static long PlannedInjections(IReadOnlyList<LoadSimulation> simulations)
    {
        ArgumentNullException.ThrowIfNull(simulations);
        var previous = 0.0;
        long total = 0;
        foreach (var s in simulations)
        {
            if (s is InjectSimulation or RampingInjectSimulation)
            {
                total += Ticks(s, previous).Sum(t => (long)t.Invocations);
            }

            previous = RateAfter(s);
        }

        return total;
    }
}
