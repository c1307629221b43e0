namespace OtelLab.Sim.Collector.Processors.TailSampling;

/// <summary><c>span_count:</c> — upstream config.go SpanCountCfg (int32 fields; <c>max_spans</c> 0 means no upper bound).</summary>
public sealed record SpanCountSettings(int MinSpans = 0, int MaxSpans = 0);
