using OtelLab.Scenarios.Definition;
using OtelLab.Sim.Collector.Runtime;

namespace OtelLab.Scenarios.Faults;

/// <summary>A fault step as it happened: when (from the start of the load), what it did, and the collector it took down.</summary>
/// <param name="Killed">For a kill of a collector pod: its instance, whose counters stay readable after it stopped (what it had received and decided when it went).</param>
public sealed record FaultEvent(FaultSpec Step, TimeSpan At, string Outcome, string? Pod = null, CollectorInstance? Killed = null);
