using OtelLab.Sim.Relabeling;

namespace OtelLab.Sim.TargetAllocation;

/// <summary>A <c>static_configs</c> entry: target addresses plus labels for all of them.</summary>
public sealed record StaticConfig(IReadOnlyList<string> Targets, LabelSet? Labels = null);
