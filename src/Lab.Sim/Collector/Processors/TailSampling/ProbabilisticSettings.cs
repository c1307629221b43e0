namespace OtelLab.Sim.Collector.Processors.TailSampling;

/// <summary><c>probabilistic:</c> — upstream config.go ProbabilisticCfg.</summary>
public sealed record ProbabilisticSettings(string HashSalt = "", double SamplingPercentage = 0);
