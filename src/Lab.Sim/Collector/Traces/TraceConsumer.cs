namespace OtelLab.Sim.Collector.Traces;

/// <summary>Adapts a delegate to <see cref="ITraceConsumer"/>.</summary>
public sealed class TraceConsumer(Func<IReadOnlyList<TraceSpan>, CancellationToken, ValueTask> consume) : ITraceConsumer
{
    /// <summary>A consumer that discards everything.</summary>
    public static ITraceConsumer Discard { get; } = new TraceConsumer((_, _) => ValueTask.CompletedTask);

    public ValueTask ConsumeAsync(IReadOnlyList<TraceSpan> spans, CancellationToken cancellationToken) => consume(spans, cancellationToken);
}
