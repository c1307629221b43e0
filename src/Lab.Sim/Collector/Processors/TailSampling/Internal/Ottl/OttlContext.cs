using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Sim.Collector.Processors.TailSampling.Internal.Ottl;

/// <summary>What a condition is evaluated on: a span (ottlspan), or one of its events (ottlspanevent).</summary>
internal readonly record struct OttlContext(TraceSpan Span, SpanEvent? Event = null);
