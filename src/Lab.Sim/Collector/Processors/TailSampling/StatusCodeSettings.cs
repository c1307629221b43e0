namespace OtelLab.Sim.Collector.Processors.TailSampling;

/// <summary><c>status_code:</c> — upstream config.go StatusCodeCfg.</summary>
public sealed record StatusCodeSettings(IReadOnlyList<string> StatusCodes)
{
    public static StatusCodeSettings None { get; } = new([]);
}
