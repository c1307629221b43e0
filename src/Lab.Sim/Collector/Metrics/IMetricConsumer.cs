namespace OtelLab.Sim.Collector.Metrics;

/// <summary>The next component in a metrics pipeline (upstream <c>consumer.Metrics</c>).</summary>
public interface IMetricConsumer
{
    ValueTask ConsumeAsync(IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken);
}
