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

        // Lab instrumentation (not upstream): a per-class tally of decisions for the lab's keep-rate views and checks,
        // and a ledger of each decided trace id's outcome (~40 B a trace) so the gateway-trace-split check can compare
        // what each replica decided.
        var classes = TraceClassTally.For(config);
        var processor = new TailSamplingProcessor(
            config, context.NextTraces ?? TraceConsumer.Discard, context.Time, new TailSamplingTelemetry(context.Telemetry),
            new TailSamplingLedger(keepPerTrace: true), componentName: context.Id.Name ?? string.Empty, observer: classes);
        return new TailSamplingComponent(processor, classes, config);
    }
}
