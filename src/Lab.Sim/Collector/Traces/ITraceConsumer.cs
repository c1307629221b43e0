namespace OtelLab.Sim.Collector.Traces;

/// <summary>The next component in a traces pipeline (upstream <c>consumer.Traces</c>).</summary>
public interface ITraceConsumer
{
    ValueTask ConsumeAsync(IReadOnlyList<TraceSpan> spans, CancellationToken cancellationToken);
}
