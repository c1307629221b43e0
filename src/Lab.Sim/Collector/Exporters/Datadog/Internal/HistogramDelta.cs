namespace OtelLab.Sim.Collector.Exporters.Datadog.Internal;

/// <summary>One histogram point's delta (count, sum and per-bucket counts) since the previous point of its series.</summary>
internal sealed record HistogramDelta(ulong Count, double Sum, IReadOnlyList<ulong> Buckets);
