namespace OtelLab.Sim.Collector.Processors.TailSampling;

/// <summary><c>numeric_attribute:</c> — upstream config.go NumericAttributeCfg (0 means "not set" for min/max).</summary>
public sealed record NumericAttributeSettings(string Key = "", long MinValue = 0, long MaxValue = 0, bool InvertMatch = false);
