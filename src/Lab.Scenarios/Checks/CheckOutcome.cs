namespace OtelLab.Scenarios.Checks;

public enum CheckOutcome
{
    Pass,
    Fail,

    /// <summary>Not applicable (e.g. a dynamic check in a static-only run); never counts as a pass in a report's verdict.</summary>
    Skipped,

    /// <summary>
    /// Not trustworthy: the verdict depends on timing and the simulator was behind its own schedule beyond tolerance
    /// (<see cref="Health.SimulationHealthTolerance"/>), so what it measured is the simulator's overload, not the
    /// pipeline. Neither a pass nor a failure; a run with one exits with its own code.
    /// </summary>
    Untrustworthy,
}
