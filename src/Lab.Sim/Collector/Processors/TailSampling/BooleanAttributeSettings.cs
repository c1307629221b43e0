namespace OtelLab.Sim.Collector.Processors.TailSampling;

/// <summary><c>boolean_attribute:</c> — upstream config.go BooleanAttributeCfg.</summary>
public sealed record BooleanAttributeSettings(string Key = "", bool Value = false, bool InvertMatch = false);
