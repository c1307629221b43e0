namespace OtelLab.Sim.Collector.Processors.TailSampling;

/// <summary><c>latency:</c> — upstream config.go LatencyCfg.</summary>
public sealed record LatencySettings(long ThresholdMs = 0, long UpperThresholdMs = 0);
