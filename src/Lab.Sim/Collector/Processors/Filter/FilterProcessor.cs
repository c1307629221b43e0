using OtelLab.Sim.Collector.Internal;
using OtelLab.Sim.Collector.Metrics;
using OtelLab.Sim.Collector.Pipeline;
using OtelLab.Sim.Collector.Processors.Filter.Internal;

namespace OtelLab.Sim.Collector.Processors.Filter;

/// <summary>
/// The contrib <c>filter</c> processor for metrics: <c>include</c> keeps only matching names, <c>exclude</c> drops
/// matching names, OTTL <c>metric</c> conditions drop a metric when any holds. A batch left empty is not forwarded
/// (upstream processorhelper.ErrSkipProcessingData).
/// upstream: processor/filterprocessor/metrics.go (filterMetricProcessor.processMetrics).
/// </summary>
public sealed class FilterProcessor : ICollectorComponent, IMetricConsumer
{
    private readonly ComponentCreateContext _context;
    private readonly NameMatcher? _include;
    private readonly NameMatcher? _exclude;
    private readonly IReadOnlyList<MetricNameCondition> _conditions;

    internal FilterProcessor(ComponentCreateContext context, NameMatcher? include, NameMatcher? exclude, IReadOnlyList<MetricNameCondition> conditions)
    {
        _context = context;
        _include = include;
        _exclude = exclude;
        _conditions = conditions;
    }

    /// <summary>Points dropped so far (upstream counts them in <c>otelcol_processor_filter_datapoints_filtered</c>).</summary>
    public long Filtered => Interlocked.Read(ref _filtered);

    private long _filtered;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task ShutdownAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public ValueTask ConsumeAsync(IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken)
    {
        var kept = new List<MetricPoint>(points.Count);
        foreach (var point in points)
        {
            if (Keep(point.Name))
            {
                kept.Add(point);
            }
        }

        Interlocked.Add(ref _filtered, points.Count - kept.Count);
        if (kept.Count == 0 || _context.NextMetrics is null)
        {
            return ValueTask.CompletedTask;
        }

        return _context.NextMetrics.ConsumeAsync(kept.Count == points.Count ? points : kept, cancellationToken);
    }

    private bool Keep(string name)
    {
        if (_include is not null && !_include.Matches(name))
        {
            return false;
        }

        if (_exclude is not null && _exclude.Matches(name))
        {
            return false;
        }

        return !_conditions.Any(c => c.Matches(name));
    }
}
