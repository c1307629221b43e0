using OtelLab.Load.Simulations;

namespace OtelLab.Scenarios.Definition;

/// <summary>One entry of <c>load.simulations</c>: a load simulation and the target it drives.</summary>
/// <param name="Target">
/// <c>trace</c> (requests into the front service: the sample services' traces), <c>otlp</c> (raw spans over OTLP/HTTP to
/// a node's agent, bypassing the services, like telemetrygen) or <c>farm</c> (scrape-target churn: a farm pod replaced
/// per invocation, so a target leaves and a new one with new series arrives).
/// </param>
/// <param name="Simulation">The phase.</param>
public sealed record TargetedSimulation(string Target, LoadSimulation Simulation)
{
    public const string Trace = "trace";
    public const string Otlp = "otlp";
    public const string Farm = "farm";

    public static readonly IReadOnlyList<string> Targets = [Trace, Otlp, Farm];
}
