namespace OtelLab.Sim.Collector.Processors.TailSampling;

/// <summary><c>trace_state:</c> — upstream config.go TraceStateCfg.</summary>
public sealed record TraceStateSettings(string Key, IReadOnlyList<string> Values)
{
    public static TraceStateSettings None { get; } = new(string.Empty, []);
}
