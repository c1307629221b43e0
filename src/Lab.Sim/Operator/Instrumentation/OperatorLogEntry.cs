namespace OtelLab.Sim.Operator.Instrumentation;

/// <summary>
/// A line the operator would write to its log while mutating the pod: <see cref="Level"/> <c>error</c>, <c>info</c> or
/// <c>debug</c> (upstream's <c>V(1)</c>), upstream's <see cref="Message"/> and, for errors, the error text.
/// </summary>
public sealed record OperatorLogEntry(string Level, string Message, string? Error = null)
{
    public const string ErrorLevel = "error";
    public const string InfoLevel = "info";
    public const string DebugLevel = "debug";
    public const string LabLevel = "lab";

    public override string ToString() => Error is null ? $"{Level}: {Message}" : $"{Level}: {Message}: {Error}";
}
