using OtelLab.Sim.Collector.Pipeline;
using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Sim.Collector.Processors.TailSampling;

/// <summary>
/// The processor as a pipeline component: starts its decision ticker, stops it on shutdown. The lab finds it in a
/// running collector's <c>Service.Components</c> to read its span ledger and its per-class decision tally
/// (<see cref="Classes"/>, lab instrumentation).
/// </summary>
public sealed class TailSamplingComponent(TailSamplingProcessor processor, TraceClassTally classes, TailSamplingConfig config) : ICollectorComponent, ITraceConsumer
{
    public TailSamplingProcessor Processor => processor;

    /// <summary>The processor's configuration (decision_wait tells how long a drain can take).</summary>
    public TailSamplingConfig Config => config;

    /// <summary>Decisions per class (error / slow / baseline): lab instrumentation, not an upstream metric.</summary>
    public TraceClassTally Classes => classes;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        processor.Start();
        return Task.CompletedTask;
    }

    public async Task ShutdownAsync(CancellationToken cancellationToken) => await processor.DisposeAsync().ConfigureAwait(false);

    public ValueTask DisposeAsync() => processor.DisposeAsync();

    public ValueTask ConsumeAsync(IReadOnlyList<TraceSpan> spans, CancellationToken cancellationToken) => processor.ConsumeAsync(spans, cancellationToken);
}
