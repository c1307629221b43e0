namespace OtelLab.Sim.Collector.Processors.TailSampling;

/// <summary>One <c>tail_sampling[/NAME]</c> processor found in a file.</summary>
/// <param name="Owner">Where it was declared: <c>OpenTelemetryCollector ns/name</c>, or <c>collector config</c>.</param>
/// <param name="ComponentId">The processor key, e.g. <c>tail_sampling</c> or <c>tail_sampling/errors</c>.</param>
/// <param name="Config">The parsed configuration.</param>
/// <param name="Line">1-based line of the processor key in the file.</param>
/// <param name="Replicas">The CR's <c>spec.replicas</c> when set (null for a raw collector config).</param>
public sealed record TailSamplingDefinition(string Owner, string ComponentId, TailSamplingConfig Config, long Line, int? Replicas = null)
{
    /// <summary>The NAME part of <c>tail_sampling/NAME</c> ("" when unnamed), as upstream's <c>set.ID.Name()</c>.</summary>
    public string ComponentName => ComponentId.Contains('/', StringComparison.Ordinal) ? ComponentId[(ComponentId.IndexOf('/', StringComparison.Ordinal) + 1)..] : string.Empty;

    /// <summary>How to name it to a user: <c>tail_sampling/errors in OpenTelemetryCollector obs/gateway</c>.</summary>
    public string DisplayName => $"{ComponentId} in {Owner}";
}
