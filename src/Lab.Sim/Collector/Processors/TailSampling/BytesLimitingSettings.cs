namespace OtelLab.Sim.Collector.Processors.TailSampling;

/// <summary>
/// <c>bytes_limiting:</c> — upstream config.go BytesLimitingCfg. <c>burst_capacity</c> 0 means twice
/// <c>bytes_per_second</c> (bytes_limiting.go NewBytesLimiting).
/// </summary>
public sealed record BytesLimitingSettings(long BytesPerSecond = 0, long BurstCapacity = 0);
