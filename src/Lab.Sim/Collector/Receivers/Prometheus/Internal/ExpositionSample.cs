namespace OtelLab.Sim.Collector.Receivers.Prometheus.Internal;

/// <summary>One sample line of a text exposition: metric name, labels in order of appearance, value.</summary>
internal readonly record struct ExpositionSample(string Name, IReadOnlyList<KeyValuePair<string, string>> Labels, double Value);
