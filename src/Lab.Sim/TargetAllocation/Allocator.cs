using System.Diagnostics;
using OtelLab.Sim.Collector.Telemetry;

namespace OtelLab.Sim.TargetAllocation;

/// <summary>
/// The allocation state machine, ported from upstream TA internal/allocation/allocator.go: it keeps the collectors,
/// the targets by hash and the per-collector, per-job index served over HTTP, and runs targets through the strategy.
/// <list type="bullet">
/// <item>SetTargets diffs by target hash: removed targets are unassigned, new ones assigned; a target that stays keeps
/// its assignment and takes the newly discovered labels.</item>
/// <item>SetCollectors diffs by name: removed collectors' targets are orphaned, then every target is re-run through
/// the strategy (so consistent-hashing moves only what the ring moves and least-weighted keeps what it has).</item>
/// <item>Targets that fail assignment stay unassigned; their count is recorded in
/// <c>opentelemetry_allocator_targets_unassigned</c> only when non-zero (upstream never records the zero).</item>
/// </list>
/// Where upstream iterates Go maps (random order), this port iterates in insertion order so runs are reproducible.
/// </summary>
public sealed class Allocator
{
    private readonly object _gate = new();
    private readonly Dictionary<string, CollectorReplica> _collectors = new(StringComparer.Ordinal);
    private readonly Dictionary<ulong, TargetItem> _targetItems = [];
    private readonly Dictionary<string, Dictionary<string, HashSet<ulong>>> _perCollectorPerJob = new(StringComparer.Ordinal);
    private readonly MetricRegistry _metrics;
    private readonly HashSet<string> _countsChanged = new(StringComparer.Ordinal);

    public Allocator(IAllocationStrategy strategy, MetricRegistry? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        Strategy = strategy;
        _metrics = metrics ?? new MetricRegistry();
    }

    public IAllocationStrategy Strategy { get; }

    /// <summary>
    /// Moves on whenever what the allocator serves changes: a target added or removed, a retained target's labels, the
    /// collectors. A discovery pass that finds the same targets leaves it, so the served lists can be rendered once
    /// per change rather than once per poll (three replicas poll 9,000 targets' labels every refresh).
    /// </summary>
    public long Version => Interlocked.Read(ref _version);

    private long _version;

    /// <summary>Errors from the last assignment pass (e.g. <c>could not find collector for node X</c>).</summary>
    public IReadOnlyList<string> LastAssignmentErrors { get; private set; } = [];

    /// <summary>Replaces the target set (upstream Allocator.SetTargets).</summary>
    public void SetTargets(IReadOnlyList<TargetItem> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var started = Stopwatch.GetTimestamp();
        var targetMap = new Dictionary<ulong, TargetItem>(targets.Count);
        foreach (var item in targets)
        {
            targetMap[item.Hash] = item;
        }

        lock (_gate)
        {
            _metrics.Set(AllocatorMetricNames.TargetsRemaining, "Number of targets kept after filtering.", targets.Count);
            var removals = _targetItems.Keys.Where(k => !targetMap.ContainsKey(k)).ToList();
            var additions = targetMap.Where(kv => !_targetItems.ContainsKey(kv.Key)).Select(kv => kv.Value).ToList();
            if (removals.Count > 0 || additions.Count > 0)
            {
                HandleTargets(removals, additions);
                Interlocked.Increment(ref _version);
            }

            if (RefreshExistingTargetLabels(targetMap))
            {
                Interlocked.Increment(ref _version);
            }
        }

        RecordTime(started, "SetTargets");
    }

    /// <summary>Replaces the collector set (upstream Allocator.SetCollectors).</summary>
    public void SetCollectors(IReadOnlyCollection<CollectorReplica> collectors)
    {
        ArgumentNullException.ThrowIfNull(collectors);
        var started = Stopwatch.GetTimestamp();
        _metrics.Set(AllocatorMetricNames.CollectorsAllocatable, "Number of collectors the allocator is able to allocate to.",
            collectors.Count, ("strategy", Strategy.Name));
        var incoming = new Dictionary<string, CollectorReplica>(StringComparer.Ordinal);
        foreach (var collector in collectors)
        {
            incoming[collector.Name] = collector;
        }

        lock (_gate)
        {
            var removals = _collectors.Values.Where(c => !incoming.ContainsKey(c.Name)).ToList();
            var additions = incoming.Values.Where(c => !_collectors.ContainsKey(c.Name)).ToList();
            if (removals.Count > 0 || additions.Count > 0)
            {
                HandleCollectors(removals, additions);
                Interlocked.Increment(ref _version);
            }
        }

        RecordTime(started, "SetCollectors");
    }

    /// <summary>The targets of one job assigned to one collector (empty when none), ordered by target hash.</summary>
    public IReadOnlyList<TargetItem> GetTargetsForCollectorAndJob(string collector, string job)
    {
        lock (_gate)
        {
            if (!_perCollectorPerJob.TryGetValue(collector, out var jobs) || !jobs.TryGetValue(job, out var hashes))
            {
                return [];
            }

            return [.. hashes.Order().Select(h => _targetItems[h])];
        }
    }

    /// <summary>A snapshot of all targets by hash.</summary>
    public IReadOnlyDictionary<ulong, TargetItem> TargetItems()
    {
        lock (_gate)
        {
            return new Dictionary<ulong, TargetItem>(_targetItems);
        }
    }

    /// <summary>A snapshot of the collectors by name.</summary>
    public IReadOnlyDictionary<string, CollectorReplica> Collectors()
    {
        lock (_gate)
        {
            return new Dictionary<string, CollectorReplica>(_collectors, StringComparer.Ordinal);
        }
    }

    /// <summary>The current target → collector assignment ("" when unassigned), by target hash.</summary>
    public IReadOnlyDictionary<ulong, string> Assignments()
    {
        lock (_gate)
        {
            return _targetItems.ToDictionary(kv => kv.Key, kv => kv.Value.CollectorName);
        }
    }

    private void HandleTargets(List<ulong> removals, List<TargetItem> additions)
    {
        foreach (var hash in removals)
        {
            var item = _targetItems[hash];
            UnassignTargetItem(item);
            _targetItems.Remove(hash);
        }

        var errors = new List<string>();
        foreach (var item in additions)
        {
            item.CollectorName = "";
            if (!AddTargetToTargetItems(item, out var error))
            {
                errors.Add(error!);
            }
        }

        RecordUnassigned(errors);
        RecordChangedCounts();
    }

    private void HandleCollectors(List<CollectorReplica> removals, List<CollectorReplica> additions)
    {
        foreach (var collector in removals)
        {
            RemoveCollector(collector);
        }

        foreach (var collector in additions)
        {
            _collectors[collector.Name] = new CollectorReplica(collector.Name, collector.NodeName);
        }

        Strategy.SetCollectors(_collectors);
        var errors = new List<string>();
        foreach (var item in _targetItems.Values.ToList())
        {
            if (!AddTargetToTargetItems(item, out var error))
            {
                errors.Add(error!);
                item.CollectorName = "";
            }
        }

        RecordUnassigned(errors);
        RecordChangedCounts();
    }

    private bool AddTargetToTargetItems(TargetItem item, out string? error)
    {
        _targetItems[item.Hash] = item;
        error = null;
        if (_collectors.Count == 0)
        {
            return true;
        }

        var owner = Strategy.GetCollectorForTarget(_collectors, item, out error);
        if (owner is null)
        {
            error ??= $"no collector for target {item}";
            return false;
        }

        // upstream: decide the new owner before unassigning, because the strategy may use the previous assignment.
        if (item.CollectorName.Length > 0 && _collectors.ContainsKey(item.CollectorName))
        {
            UnassignTargetItem(item);
        }

        item.CollectorName = owner.Name;
        AddCollectorTargetItemMapping(item);
        var collector = _collectors[owner.Name];
        collector.NumTargets++;
        collector.TargetsPerJob[item.JobName] = collector.TargetsPerJob.GetValueOrDefault(item.JobName) + 1;
        _countsChanged.Add(collector.Name);
        return true;
    }

    private void UnassignTargetItem(TargetItem item)
    {
        var name = item.CollectorName;
        if (name.Length == 0 || !_collectors.TryGetValue(name, out var collector))
        {
            return;
        }

        collector.NumTargets--;
        var perJob = collector.TargetsPerJob.GetValueOrDefault(item.JobName) - 1;
        if (perJob == 0)
        {
            collector.TargetsPerJob.Remove(item.JobName);
        }
        else
        {
            collector.TargetsPerJob[item.JobName] = perJob;
        }

        _countsChanged.Add(name);
        if (_perCollectorPerJob.TryGetValue(name, out var jobs) && jobs.TryGetValue(item.JobName, out var hashes))
        {
            hashes.Remove(item.Hash);
            if (hashes.Count == 0)
            {
                jobs.Remove(item.JobName);
            }
        }

        item.CollectorName = "";
    }

    private void RemoveCollector(CollectorReplica collector)
    {
        _collectors.Remove(collector.Name);
        if (_perCollectorPerJob.Remove(collector.Name, out var jobs))
        {
            foreach (var hash in jobs.Values.SelectMany(h => h))
            {
                _targetItems[hash].CollectorName = "";
            }
        }

        _countsChanged.Remove(collector.Name);
        RecordTargetsPerCollector(collector.Name, 0);
    }

    private void AddCollectorTargetItemMapping(TargetItem item)
    {
        if (!_perCollectorPerJob.TryGetValue(item.CollectorName, out var jobs))
        {
            jobs = new Dictionary<string, HashSet<ulong>>(StringComparer.Ordinal);
            _perCollectorPerJob[item.CollectorName] = jobs;
        }

        if (!jobs.TryGetValue(item.JobName, out var hashes))
        {
            hashes = [];
            jobs[item.JobName] = hashes;
        }

        hashes.Add(item.Hash);
    }

    /// <summary>Returns whether any retained target's served labels changed.</summary>
    private bool RefreshExistingTargetLabels(Dictionary<ulong, TargetItem> targetMap)
    {
        // upstream refreshExistingTargetLabels: a retained target serves its latest discovered labels and keeps its collector.
        var changed = false;
        foreach (var (hash, fresh) in targetMap)
        {
            if (_targetItems.TryGetValue(hash, out var existing) && !ReferenceEquals(existing, fresh))
            {
                changed |= !string.Equals(existing.TargetUrl, fresh.TargetUrl, StringComparison.Ordinal) || !existing.Labels.Equals(fresh.Labels);
                fresh.CollectorName = existing.CollectorName;
                _targetItems[hash] = fresh;
            }
        }

        return changed;
    }

    private void RecordUnassigned(List<string> errors)
    {
        LastAssignmentErrors = errors;
        if (errors.Count > 0)
        {
            _metrics.Set(AllocatorMetricNames.TargetsUnassigned, "Number of targets that could not be assigned due to missing node label.", errors.Count);
        }
    }

    // upstream records the gauge on every assignment; recording each changed collector's final count once per pass
    // exposes the same values to a scrape and keeps metrics off the per-target hot path.
    private void RecordChangedCounts()
    {
        foreach (var name in _countsChanged)
        {
            if (_collectors.TryGetValue(name, out var collector))
            {
                RecordTargetsPerCollector(name, collector.NumTargets);
            }
        }

        _countsChanged.Clear();
    }

    private void RecordTargetsPerCollector(string collector, int count) =>
        _metrics.Set(AllocatorMetricNames.TargetsPerCollector, "The number of targets for each collector.", count,
            ("collector_name", collector), ("strategy", Strategy.Name));

    private void RecordTime(long started, string method) =>
        _metrics.Observe(AllocatorMetricNames.TimeToAllocate, "The time it takes to allocate",
            Stopwatch.GetElapsedTime(started).TotalSeconds, null, ("method", method), ("strategy", Strategy.Name));
}
