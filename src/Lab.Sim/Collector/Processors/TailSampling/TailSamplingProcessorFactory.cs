using OtelLab.Model.Collector;
using OtelLab.Sim.Collector.Pipeline;
using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Sim.Collector.Processors.TailSampling;

/// <summary>
/// Builds the <c>tail_sampling</c> processor (traces only, contrib and k8s images) around
/// <see cref="TailSamplingProcessor"/>, with its metrics in the collector's registry (served on <c>:8888</c>).
/// </summary>
public sealed class TailSamplingProcessorFactory : IComponentFactory
{
    public string Type => "tail_sampling";

    public ComponentKind Kind => ComponentKind.Processor;

    public IReadOnlySet<string> Signals { get; } = new HashSet<string>(StringComparer.Ordinal) { "traces" };

    public ICollectorComponent Create(ComponentCreateContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        TailSamplingConfig config;
        try
        {
            config = TailSamplingConfig.Parse(context.Settings);
        }
        catch (TailSamplingConfigException e)
        {
            throw new CollectorStartException($"error reading configuration for \"{context.Id}\": {e.Message}", e);
        }

        // The ledger keeps each decided trace id's outcome (~40 B a trace) so the lab can read what each replica decided
        // (a read-only tap: the gateway-trace-split check compares replicas; upstream has no such state).
        var processor = new TailSamplingProcessor(
            config, context.NextTraces ?? TraceConsumer.Discard, context.Time, new TailSamplingTelemetry(context.Telemetry),
            new TailSamplingLedger(keepPerTrace: true), componentName: context.Id.Name ?? string.Empty);
        return new Component(processor);
    }

    /// <summary>The processor as a pipeline component: start its decision ticker, stop it on shutdown.</summary>
    private sealed class Component(TailSamplingProcessor processor) : ICollectorComponent, ITraceConsumer, ITailSamplingComponent
    {
        public TailSamplingProcessor Processor => processor;

        public Task StartAsync(CancellationToken cancellationToken)
        {
            processor.Start();
            return Task.CompletedTask;
        }

        public async Task ShutdownAsync(CancellationToken cancellationToken) => await processor.DisposeAsync().ConfigureAwait(false);

        public ValueTask DisposeAsync() => processor.DisposeAsync();

        public ValueTask ConsumeAsync(IReadOnlyList<TraceSpan> spans, CancellationToken cancellationToken) => processor.ConsumeAsync(spans, cancellationToken);
    }
}
