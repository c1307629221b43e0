namespace OtelLab.Sim.Collector.Processors.TailSampling;

/// <summary>One <c>composite.rate_allocation</c> entry — upstream config.go RateAllocationCfg.</summary>
public sealed record RateAllocation(string Policy = "", long Percent = 0);
