namespace OtelLab.Sim.Operator.Instrumentation.Internal;

/// <summary>Collects what the webhook logs and the events it records while handling one pod.</summary>
internal sealed class MutationLog
{
    public List<OperatorLogEntry> Logs { get; } = [];

    public List<PodEvent> Events { get; } = [];

    public void Error(string message, string? error = null) => Logs.Add(new OperatorLogEntry(OperatorLogEntry.ErrorLevel, message, error));

    public void Info(string message, string? detail = null) => Logs.Add(new OperatorLogEntry(OperatorLogEntry.InfoLevel, message, detail));

    public void Debug(string message, string? detail = null) => Logs.Add(new OperatorLogEntry(OperatorLogEntry.DebugLevel, message, detail));

    /// <summary>Something upstream does that the lab does not emulate.</summary>
    public void NotEmulated(string message) => Logs.Add(new OperatorLogEntry(OperatorLogEntry.LabLevel, message));

    public void Warning(string reason, string message) => Events.Add(new PodEvent("Warning", reason, message));
}
