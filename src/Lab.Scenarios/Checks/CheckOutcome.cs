namespace OtelLab.Scenarios.Checks;

public enum CheckOutcome
{
    Pass,
    Fail,

    /// <summary>Not applicable (e.g. a dynamic check in a static-only run); never counts as a pass in a report's verdict.</summary>
    Skipped,
}
