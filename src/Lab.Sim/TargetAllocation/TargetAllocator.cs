using System.Diagnostics;
using OtelLab.Model.Diagnostics;
using OtelLab.Sim.Collector.Telemetry;
using OtelLab.Sim.Relabeling;

namespace OtelLab.Sim.TargetAllocation;

/// <summary>
/// An emulated OpenTelemetry target allocator: watches collector pods and target sources, filters targets with each
/// job's <c>relabel_configs</c>, and allocates them with the configured strategy. Timing follows upstream:
/// <list type="bullet">
/// <item>collector changes are applied on a 5 s ticker, only when something changed since the last tick
/// (upstream collector.go rateLimitedCollectorHandler);</item>
/// <item>target changes are applied on a 5 s ticker (upstream discovery.go reloader);</item>
/// <item>pods without <c>spec.nodeName</c> are skipped, and so is a non-Running pod started more than
/// <c>collectorNotReadyGracePeriod</c> ago (upstream collector.go runOnCollectors), re-evaluated at least on every
/// 30 s informer resync.</item>
/// </list>
/// Every duration is read through one <see cref="TimeProvider"/> (the lab clock, which a scenario's timeScale scales),
/// so a test clock drives every tick.
/// </summary>
public sealed class TargetAllocator : IAsyncDisposable
{
    /// <summary>The CPU time this Target Allocator's work used (null when it runs outside a pod).</summary>
    public ComponentCpu? Cpu { get; init; }

    private readonly TargetAllocatorOptions _options;
    private readonly IReadOnlyList<ITargetSource> _targetSources;
    private readonly ICollectorSource _collectorSource;
    private readonly TimeProvider _time;
    private readonly object _tickGate = new();
    private readonly Dictionary<ITargetSource, IReadOnlyList<ScrapeConfig>> _appliedConfigs = [];
    private volatile IReadOnlyDictionary<string, ScrapeConfig> _scrapeConfigs = new Dictionary<string, ScrapeConfig>();
    private ITimer? _collectorTimer;
    private ITimer? _targetTimer;
    private ITimer? _resyncTimer;
    private int _collectorsDirty;
    private int _targetsDirty;
    private bool _started;

    public TargetAllocator(
        TargetAllocatorOptions options,
        IEnumerable<ITargetSource> targetSources,
        ICollectorSource collectorSource,
        TimeProvider? timeProvider = null,
        MetricRegistry? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(targetSources);
        ArgumentNullException.ThrowIfNull(collectorSource);
        _options = options;
        _targetSources = [.. targetSources];
        _collectorSource = collectorSource;
        _time = timeProvider ?? TimeProvider.System;
        Metrics = metrics ?? new MetricRegistry();
        Allocator = new Allocator(AllocationStrategies.Create(options.AllocationStrategy, options.FallbackStrategy), Metrics);
    }

    /// <summary>The allocation state (served by the HTTP API).</summary>
    public Allocator Allocator { get; }

    /// <summary>The TA's self-metrics.</summary>
    public MetricRegistry Metrics { get; }

    /// <summary>The scrape configs by job, as last applied.</summary>
    public IReadOnlyDictionary<string, ScrapeConfig> ScrapeConfigs => _scrapeConfigs;

    /// <summary>True once scrape configs have been applied (upstream <c>/readyz</c>).</summary>
    public bool IsReady { get; private set; }

    /// <summary>How many times the collector set / the target set was applied.</summary>
    public long CollectorUpdates { get; private set; }

    /// <inheritdoc cref="CollectorUpdates"/>
    public long TargetUpdates { get; private set; }

    /// <summary>Raised after each applied collector or target update (on the ticking thread).</summary>
    public event EventHandler? Updated;

    /// <summary>Loads the scrape configs and starts both tickers; the first allocation happens on the first tick.</summary>
    public void Start()
    {
        lock (_tickGate)
        {
            if (_started)
            {
                return;
            }

            _started = true;
            foreach (var source in _targetSources)
            {
                source.Changed += OnTargetSourceChanged;
            }

            _collectorSource.Changed += OnCollectorsChanged;
            ApplyConfigs();
            _collectorsDirty = 1;
            _targetsDirty = 1;
            var collectorPeriod = _options.CollectorMinUpdateInterval;
            var targetPeriod = _options.TargetReloadInterval;
            _collectorTimer = _time.CreateTimer(_ => Tick(collectors: true), null, collectorPeriod, collectorPeriod);
            _targetTimer = _time.CreateTimer(_ => Tick(collectors: false), null, targetPeriod, targetPeriod);
            var resync = _options.CollectorResyncPeriod;
            _resyncTimer = _time.CreateTimer(_ => OnCollectorsChanged(null, EventArgs.Empty), null, resync, resync);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var source in _targetSources)
        {
            source.Changed -= OnTargetSourceChanged;
        }

        _collectorSource.Changed -= OnCollectorsChanged;
        if (_collectorTimer is not null)
        {
            await _collectorTimer.DisposeAsync().ConfigureAwait(false);
        }

        if (_targetTimer is not null)
        {
            await _targetTimer.DisposeAsync().ConfigureAwait(false);
        }

        if (_resyncTimer is not null)
        {
            await _resyncTimer.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs discovery processing once, outside the tickers: relabel filtering and target identity per job
    /// (upstream discovery.go processTargetGroups). Dropped targets are left out.
    /// </summary>
    public static IReadOnlyList<TargetItem> ProcessTargetGroups(IReadOnlyDictionary<string, ScrapeConfig> configs, IEnumerable<TargetGroup> groups, MetricRegistry? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(configs);
        ArgumentNullException.ThrowIfNull(groups);
        var items = new List<TargetItem>();
        var discovered = new Dictionary<string, int>(StringComparer.Ordinal);
        var relabelBuilder = new LabelBuilder(LabelSet.Empty);
        foreach (var group in groups)
        {
            if (!configs.TryGetValue(group.Job, out var config))
            {
                continue;
            }

            discovered[group.Job] = discovered.GetValueOrDefault(group.Job) + group.Targets.Count;
            foreach (var target in group.Targets)
            {
                var merged = Merge(group.Labels, target);
                relabelBuilder.Reset(merged);
                if (config.RelabelConfigs.Count > 0 && !Relabeler.Process(relabelBuilder, config.RelabelConfigs))
                {
                    continue;
                }

                var hash = TargetHash.Of(relabelBuilder, group.Job);
                items.Add(new TargetItem(group.Job, target.Get(Label.Address), merged, hash));
            }
        }

        foreach (var (job, count) in discovered)
        {
            metrics?.Set(AllocatorMetricNames.Targets, "Number of targets discovered.", count, ("job_name", job));
        }

        return items;
    }

    private static LabelSet Merge(LabelSet? groupLabels, LabelSet target)
    {
        if (groupLabels is null || groupLabels.Count == 0)
        {
            return target;
        }

        var builder = new LabelBuilder(groupLabels);
        foreach (var label in target)
        {
            builder.Set(label.Name, label.Value);
        }

        return builder.Labels();
    }

    private void OnTargetSourceChanged(object? sender, EventArgs e) => Interlocked.Exchange(ref _targetsDirty, 1);

    private void OnCollectorsChanged(object? sender, EventArgs e) => Interlocked.Exchange(ref _collectorsDirty, 1);

    private void Tick(bool collectors)
    {
        // One tick at a time: a slow allocation must not overlap the next tick (upstream runs each loop in one goroutine).
        lock (_tickGate)
        {
            try
            {
                if (collectors)
                {
                    if (Interlocked.Exchange(ref _collectorsDirty, 0) == 1)
                    {
                        ApplyCollectors();
                    }
                }
                else if (Interlocked.Exchange(ref _targetsDirty, 0) == 1)
                {
                    ApplyConfigs();
                    ApplyTargets();
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Never throw on the data path: surface the failure as a metric and keep ticking.
                Metrics.Add("lab_targetallocator_tick_errors", "Ticks that failed in the emulated TA (lab-only metric).", 1, ("error", ex.GetType().Name));
                return;
            }
        }

        Updated?.Invoke(this, EventArgs.Empty);
    }

    private void ApplyConfigs()
    {
        var changed = false;
        foreach (var source in _targetSources)
        {
            var configs = source.ScrapeConfigs;
            if (!_appliedConfigs.TryGetValue(source, out var applied) || !ReferenceEquals(applied, configs))
            {
                _appliedConfigs[source] = configs;
                Metrics.Add(AllocatorMetricNames.Events, "Number of events in the channel.", 1, ("source", source.Name));
                changed = true;
            }
        }

        if (changed || !IsReady)
        {
            var byJob = new Dictionary<string, ScrapeConfig>(StringComparer.Ordinal);
            foreach (var config in _appliedConfigs.Values.SelectMany(c => c))
            {
                byJob[config.JobName] = config;
            }

            _scrapeConfigs = byJob;
            IsReady = true;
        }
    }

    private void ApplyCollectors()
    {
        var now = _time.GetUtcNow();
        var grace = _options.CollectorNotReadyGracePeriod;
        var collectors = new Dictionary<string, CollectorReplica>(StringComparer.Ordinal);
        foreach (var pod in _collectorSource.Pods)
        {
            if (string.IsNullOrEmpty(pod.NodeName))
            {
                continue;
            }

            if (pod.Phase != CollectorPod.Running && pod.StartTime is { } started && now - started > grace)
            {
                continue;
            }

            collectors[pod.Name] = new CollectorReplica(pod.Name, pod.NodeName);
        }

        Metrics.Set(AllocatorMetricNames.CollectorsDiscovered, "Number of collectors discovered.", collectors.Count);
        Allocator.SetCollectors(collectors.Values);
        CollectorUpdates++;
    }

    private void ApplyTargets()
    {
        var started = Stopwatch.GetTimestamp();
        var groups = _targetSources.SelectMany(s => s.TargetGroups);
        var items = ProcessTargetGroups(_scrapeConfigs, groups, Metrics);
        Metrics.Observe("opentelemetry_allocator_process_targets_duration_seconds", "Duration of processing targets.",
            Stopwatch.GetElapsedTime(started).TotalSeconds, [1, 5, 10, 30, 60, 120]);
        Allocator.SetTargets(items);
        TargetUpdates++;
    }
}
