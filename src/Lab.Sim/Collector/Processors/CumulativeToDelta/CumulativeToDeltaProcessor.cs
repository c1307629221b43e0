using OtelLab.Sim.Collector.Metrics;
using OtelLab.Sim.Collector.Pipeline;
using OtelLab.Sim.Collector.Processors.CumulativeToDelta.Internal;
using OtelLab.Sim.Collector.Internal;

namespace OtelLab.Sim.Collector.Processors.CumulativeToDelta;

/// <summary>
/// The contrib <c>cumulativetodelta</c> processor: monotonic cumulative sums and cumulative histograms become deltas,
/// per series, in this instance's memory (a series must always reach the same collector). Other points pass unchanged.
/// upstream: processor/cumulativetodeltaprocessor/processor.go and internal/tracking/tracker.go.
/// </summary>
public sealed class CumulativeToDeltaProcessor : ICollectorComponent, IMetricConsumer
{
    private readonly ComponentCreateContext _context;
    private readonly NameMatcher? _include;
    private readonly NameMatcher? _exclude;
    private readonly TimeSpan _maxStaleness;
    private readonly DeltaTracker _tracker;
    private ITimer? _sweeper;

    internal CumulativeToDeltaProcessor(ComponentCreateContext context, NameMatcher? include, NameMatcher? exclude, TimeSpan maxStaleness, string initialValue)
    {
        _context = context;
        _include = include;
        _exclude = exclude;
        _maxStaleness = maxStaleness;
        _tracker = new DeltaTracker(initialValue, UnixNano(context.Time.GetUtcNow()));
    }

    /// <summary>Series with state held (tests pin max_staleness with it).</summary>
    public int TrackedSeries => _tracker.SeriesCount;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_maxStaleness > TimeSpan.Zero)
        {
            // upstream sweeper: a ticker every max_staleness removes series last seen before now − max_staleness.
            _sweeper = _context.Time.CreateTimer(_ => _tracker.RemoveStale(UnixNano(_context.Time.GetUtcNow() - _maxStaleness)), null, _maxStaleness, _maxStaleness);
        }

        return Task.CompletedTask;
    }

    public Task ShutdownAsync(CancellationToken cancellationToken)
    {
        _sweeper?.Dispose();
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        _sweeper?.Dispose();
        return ValueTask.CompletedTask;
    }

    public ValueTask ConsumeAsync(IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken)
    {
        var output = new List<MetricPoint>(points.Count);
        foreach (var point in points)
        {
            if (!Converts(point))
            {
                output.Add(point);
            }
            else if (_tracker.Convert(point) is { } delta)
            {
                output.Add(delta);
            }
        }

        return output.Count == 0 || _context.NextMetrics is null
            ? ValueTask.CompletedTask
            : _context.NextMetrics.ConsumeAsync(output, cancellationToken);
    }

    private bool Converts(MetricPoint point)
    {
        var supported = point.Temporality == AggregationTemporality.Cumulative
            && ((point.Kind == MetricKind.Sum && point.IsMonotonic) || point.Kind == MetricKind.Histogram);
        return supported
            && (_include is null || _include.Matches(point.Name))
            && (_exclude is null || !_exclude.Matches(point.Name));
    }

    private static ulong UnixNano(DateTimeOffset at) => (ulong)(at - DateTimeOffset.UnixEpoch).Ticks * 100UL;
}
