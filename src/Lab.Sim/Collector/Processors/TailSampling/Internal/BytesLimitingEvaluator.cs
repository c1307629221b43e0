using OtelLab.Sim.Collector.Otlp;
using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Sim.Collector.Processors.TailSampling.Internal;

/// <summary>
/// upstream: internal/sampling bytes_limiting.go — the same token bucket as rate_limiting, counting the trace's
/// protobuf size (<c>ProtoMarshaler.TracesSize</c> of what the processor buffered) against <c>bytes_per_second</c>,
/// burst default twice the rate. The size is that of the spans re-encoded as OTLP, grouped by resource and scope as the
/// lab holds them: fields the lab does not keep (schema URLs, dropped counts, scope attributes) are not counted.
/// </summary>
internal sealed class BytesLimitingEvaluator(long bytesPerSecond, long burstCapacity, TimeProvider clock) : IPolicyEvaluator
{
    private readonly TokenBucket _bucket = new(bytesPerSecond, burstCapacity > 0 ? burstCapacity : bytesPerSecond * 2, clock);

    public SamplingDecision Evaluate(TraceId traceId, IReadOnlyList<TraceSpan> spans) =>
        _bucket.AllowN(TraceSize(spans)) ? SamplingDecision.Sampled : SamplingDecision.NotSampled;

    /// <summary>The OTLP protobuf size of the spans, in bytes.</summary>
    public static int TraceSize(IReadOnlyList<TraceSpan> spans) => OtlpConverter.FromSpans(spans).CalculateSize();
}
