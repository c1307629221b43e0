using OtelLab.Sim.Collector.Metrics;
using OtelLab.Sim.Collector.Pipeline;
using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Sim.Collector.Runtime.Internal;

/// <summary>
/// upstream internal/fanoutconsumer: hands the same data to every consumer in turn and returns the combined error
/// (here: the first refusal, after every consumer was called). Items are immutable records, so no clone is needed.
/// </summary>
internal sealed class FanOut(IReadOnlyList<ITraceConsumer> traces, IReadOnlyList<IMetricConsumer> metrics) : ITraceConsumer, IMetricConsumer
{
    public static ITraceConsumer? Traces(IReadOnlyList<ITraceConsumer> consumers) =>
        consumers.Count switch { 0 => null, 1 => consumers[0], _ => new FanOut(consumers, []) };

    public static IMetricConsumer? Metrics(IReadOnlyList<IMetricConsumer> consumers) =>
        consumers.Count switch { 0 => null, 1 => consumers[0], _ => new FanOut([], consumers) };

    public async ValueTask ConsumeAsync(IReadOnlyList<TraceSpan> spans, CancellationToken cancellationToken)
    {
        ConsumerRefusedException? refused = null;
        foreach (var c in traces)
        {
            try
            {
                await c.ConsumeAsync(spans, cancellationToken).ConfigureAwait(false);
            }
            catch (ConsumerRefusedException e)
            {
                refused ??= e;
            }
        }

        if (refused is not null)
        {
            throw refused;
        }
    }

    public async ValueTask ConsumeAsync(IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken)
    {
        ConsumerRefusedException? refused = null;
        foreach (var c in metrics)
        {
            try
            {
                await c.ConsumeAsync(points, cancellationToken).ConfigureAwait(false);
            }
            catch (ConsumerRefusedException e)
            {
                refused ??= e;
            }
        }

        if (refused is not null)
        {
            throw refused;
        }
    }
}
