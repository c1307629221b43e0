using OtelLab.Sim.Relabeling;

namespace OtelLab.Sim.TargetAllocation;

/// <summary>
/// A group of discovered targets of one job, as Prometheus service discovery hands them over
/// (upstream: prometheus discovery/targetgroup.Group). Each target carries <c>__address__</c> and the discovery's
/// <c>__meta_*</c> labels; <see cref="Labels"/> apply to every target of the group (a target's own label wins).
/// </summary>
public sealed record TargetGroup(string Job, IReadOnlyList<LabelSet> Targets, LabelSet? Labels = null, string Source = "");
