using OtelLab.Sim.Collector.Metrics;
using OtelLab.Sim.Collector.Pipeline;
using OtelLab.Sim.Collector.Runtime;
using OtelLab.Sim.Collector.Telemetry;
using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Sim.Collector.Processors.MemoryLimiter;

/// <summary>
/// The <c>memory_limiter</c> processor: every <c>check_interval</c> it reads the collector's heap
/// (<see cref="ComponentCreateContext.Memory"/>, set by tests and load scenarios) and, while it is above the soft limit
/// (<c>limit_mib − spike_limit_mib</c>), refuses data with upstream's error so receivers answer 503/Unavailable.
/// upstream: internal/memorylimiter/memorylimiter.go (ErrDataRefused "data refused due to high memory usage";
/// "checkInterval must be greater than zero", "memLimitMiB or memLimitPercentage must be greater than zero",
/// "memSpikeLimitMiB must be smaller than memLimitMiB"; spike default 20% of the limit; logs "Memory usage is above soft
/// limit. Refusing data." and "Memory usage back within limits. Resuming normal operation.").
/// </summary>
public sealed class MemoryLimiterProcessor : ICollectorComponent, ITraceConsumer, IMetricConsumer
{
    /// <summary>upstream memorylimiter.ErrDataRefused.</summary>
    public const string RefusedMessage = "data refused due to high memory usage";

    private const long MiB = 1024 * 1024;
    private readonly ComponentCreateContext _context;
    private readonly CollectorLog _log;
    private readonly TimeSpan _checkInterval;
    private readonly long _limit;
    private readonly long _spike;
    private readonly CounterMetric _refused;
    private readonly KeyValuePair<string, string>[] _labels;
    private ITimer? _timer;
    private volatile bool _refusing;

    public MemoryLimiterProcessor(ComponentCreateContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        _log = new CollectorLog(context.Container.Log, context.Time);
        var settings = new ComponentSettings(context.Id, context.Settings);
        _checkInterval = settings.Duration("check_interval", TimeSpan.Zero);
        var limitMiB = settings.Int("limit_mib", 0);
        var spikeMiB = settings.Int("spike_limit_mib", limitMiB / 5);
        var prefix = $"invalid configuration: processors::{context.Id}: ";
        if (_checkInterval <= TimeSpan.Zero)
        {
            throw new CollectorStartException(prefix + "checkInterval must be greater than zero");
        }

        if (limitMiB <= 0)
        {
            throw new CollectorStartException(prefix + "memLimitMiB or memLimitPercentage must be greater than zero");
        }

        if (spikeMiB >= limitMiB)
        {
            throw new CollectorStartException(prefix + "memSpikeLimitMiB must be smaller than memLimitMiB");
        }

        _limit = limitMiB * MiB;
        _spike = spikeMiB * MiB;
        _refused = context.Telemetry.Counter(
            context.Signal == "traces" ? "otelcol_processor_refused_spans" : "otelcol_processor_refused_metric_points",
            "Number of items that were rejected by the next component in the pipeline.");
        _labels = [new("processor", context.Id.ToString())];
    }

    /// <summary>Whether the last check found the heap above the soft limit.</summary>
    public bool Refusing => _refusing;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _timer = _context.Time.CreateTimer(_ => Check(), null, _checkInterval, _checkInterval);
        return Task.CompletedTask;
    }

    public Task ShutdownAsync(CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync() => new(ShutdownAsync(CancellationToken.None));

    public ValueTask ConsumeAsync(IReadOnlyList<TraceSpan> spans, CancellationToken cancellationToken)
    {
        if (_refusing)
        {
            _refused.Add(spans.Count, _labels);
            throw new ConsumerRefusedException(RefusedMessage);
        }

        return _context.NextTraces!.ConsumeAsync(spans, cancellationToken);
    }

    public ValueTask ConsumeAsync(IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken)
    {
        if (_refusing)
        {
            _refused.Add(points.Count, _labels);
            throw new ConsumerRefusedException(RefusedMessage);
        }

        return _context.NextMetrics!.ConsumeAsync(points, cancellationToken);
    }

    /// <summary>One check (what the ticker does every check_interval); public so tests can force it.</summary>
    public void Check()
    {
        var used = _context.Memory.UsedBytes;
        var above = used > _limit - _spike;
        if (above && !_refusing)
        {
            _log.Warn("Memory usage is above soft limit. Refusing data.", CollectorLog.Component("processor", _context.Id.ToString(), _context.Signal, ("cur_mem_mib", used / MiB)));
        }
        else if (!above && _refusing)
        {
            _log.Info("Memory usage back within limits. Resuming normal operation.", CollectorLog.Component("processor", _context.Id.ToString(), _context.Signal, ("cur_mem_mib", used / MiB)));
        }

        _refusing = above;
    }
}
