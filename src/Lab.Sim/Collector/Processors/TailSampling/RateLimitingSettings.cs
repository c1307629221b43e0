namespace OtelLab.Sim.Collector.Processors.TailSampling;

/// <summary>
/// <c>rate_limiting:</c> — upstream config.go RateLimitingCfg. <c>burst_capacity</c> 0 means twice
/// <c>spans_per_second</c> (rate_limiting.go NewRateLimiting).
/// </summary>
public sealed record RateLimitingSettings(long SpansPerSecond = 0, long BurstCapacity = 0);
