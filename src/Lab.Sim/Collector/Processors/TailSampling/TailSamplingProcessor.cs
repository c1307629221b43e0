using OtelLab.Sim.Collector.Processors.TailSampling.Internal;
using OtelLab.Sim.Collector.Telemetry;
using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Sim.Collector.Processors.TailSampling;

/// <summary>
/// The contrib <c>tail_sampling</c> processor (upstream processor.go), driven by a <see cref="TimeProvider"/>:
/// <list type="bullet">
/// <item>Spans are grouped by trace id and buffered; a new trace id joins the current decision batch.</item>
/// <item>A 1 s ticker (<see cref="Start"/>) takes the oldest of N = max(1, whole seconds of decision_wait) batches,
/// so a trace is decided N to N+1 s after its first span.</item>
/// <item><c>num_traces</c>: a FIFO of trace ids (drop_old_traces_limiter.go); when full, the oldest id is evicted from
/// memory, decided or not. A batch id no longer in memory counts in <c>sampling_trace_dropped_too_early</c>.</item>
/// <item>Late spans follow the decision while the trace is still in memory (Sampled → forwarded, otherwise
/// discarded); once evicted, the trace is new again. Decision caches, when sized, short-circuit late spans.</item>
/// </list>
/// Never throws on the data path: a failing next consumer is counted in <see cref="ForwardFailures"/>.
/// </summary>
public sealed class TailSamplingProcessor : IAsyncDisposable
{
    private static readonly TimeSpan TickerFrequency = TimeSpan.FromSeconds(1);

    private readonly ITraceConsumer _next;
    private readonly TimeProvider _time;
    private readonly TailSamplingPolicySet _policies;
    private readonly TailSamplingTelemetry _telemetry;
    private readonly TailSamplingLedger _ledger;
    private readonly KeyValuePair<string, string>[][] _policyLabels;
    private readonly Dictionary<TraceId, TraceData> _idToTrace = [];
    private readonly IdBatcher _batcher;
    private readonly Queue<TraceId> _limiter = new();
    private readonly ulong _maxTraces;
    private readonly LruCache<TraceId, bool>? _sampledCache;
    private readonly LruCache<TraceId, bool>? _nonSampledCache;
    private readonly Lock _lock = new();
    private readonly ITraceDecisionObserver? _observer;
    private ITimer? _ticker;
    private int _ticking;
    private long _forwardFailures;
    private long _tickFailures;
    private long _observerFailures;

    /// <param name="config">The processor's configuration.</param>
    /// <param name="next">Where sampled spans go.</param>
    /// <param name="time">The clock (a manual one in tests).</param>
    /// <param name="telemetry">Internal metrics (a private registry when null).</param>
    /// <param name="ledger">Span accounting (a private ledger when null).</param>
    /// <param name="componentName">The NAME of <c>tail_sampling/NAME</c>; prefixes the <c>policy</c> label as upstream does.</param>
    /// <param name="observer">Lab instrumentation (not upstream): told of each decision after it is taken; never changes one.</param>
    public TailSamplingProcessor(
        TailSamplingConfig config,
        ITraceConsumer next,
        TimeProvider time,
        TailSamplingTelemetry? telemetry = null,
        TailSamplingLedger? ledger = null,
        string componentName = "",
        ITraceDecisionObserver? observer = null)
    {
        _observer = observer;
        _next = next;
        _time = time;
        _policies = TailSamplingPolicySet.Create(config, time);
        _telemetry = telemetry ?? new TailSamplingTelemetry(new MetricRegistry());
        _ledger = ledger ?? new TailSamplingLedger();
        _maxTraces = config.NumTraces;

        // upstream loadSamplingPolicy: policy label is "<component name>.<policy name>" when the id has a name.
        _policyLabels = [.. _policies.PolicyNames.Select(n => new KeyValuePair<string, string>[]
        {
            new("policy", componentName.Length > 0 ? componentName + "." + n : n),
        })];
        _batcher = new IdBatcher(config.DecisionBatches, config.ExpectedNewTracesPerSec);
        _sampledCache = config.SampledCacheSize > 0 ? new LruCache<TraceId, bool>(config.SampledCacheSize) : null;
        _nonSampledCache = config.NonSampledCacheSize > 0 ? new LruCache<TraceId, bool>(config.NonSampledCacheSize) : null;
    }

    public TailSamplingTelemetry Telemetry => _telemetry;

    public TailSamplingLedger Ledger => _ledger;

    /// <summary>Traces currently held in memory (decided ones stay until evicted when no decision cache is set).</summary>
    public int TracesOnMemory
    {
        get
        {
            lock (_lock)
            {
                return _idToTrace.Count;
            }
        }
    }

    /// <summary>Batches handed to the next consumer that failed (upstream logs "Error sending spans to destination").</summary>
    public long ForwardFailures => Interlocked.Read(ref _forwardFailures);

    /// <summary>Timer-driven ticks that failed unexpectedly (a bug in the emulation, never a data condition).</summary>
    public long TickFailures => Interlocked.Read(ref _tickFailures);

    /// <summary>Calls to the lab's decision observer that threw (lab instrumentation; should stay 0).</summary>
    public long ObserverFailures => Interlocked.Read(ref _observerFailures);

    /// <summary>Starts the 1 s decision ticker on the <see cref="TimeProvider"/> (upstream Start → policyTicker.Start).</summary>
    public void Start() => _ticker ??= _time.CreateTimer(_ => _ = TickFromTimerAsync(), null, TickerFrequency, TickerFrequency);

    /// <summary>upstream ConsumeTraces/processTraces.</summary>
    public async ValueTask ConsumeAsync(IReadOnlyList<TraceSpan> spans, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var releases = new List<IReadOnlyList<TraceSpan>>();
        long newTraceIds = 0;
        _ledger.Receive(spans.Count);
        lock (_lock)
        {
            foreach (var (id, group) in GroupByTrace(spans))
            {
                if (_sampledCache?.TryGet(id, out _) == true)
                {
                    releases.Add(group);
                    _ledger.Record(id, TraceOutcome.Kept, group.Count);
                    _telemetry.EarlyReleasesFromCacheDecision.Add(group.Count, new KeyValuePair<string, string>("sampled", "true"));
                    continue;
                }

                if (_nonSampledCache?.TryGet(id, out _) == true)
                {
                    _ledger.Record(id, TraceOutcome.SampledOut, group.Count);
                    _telemetry.EarlyReleasesFromCacheDecision.Add(group.Count, new KeyValuePair<string, string>("sampled", "false"));
                    continue;
                }

                if (!_idToTrace.TryGetValue(id, out var trace))
                {
                    trace = new TraceData(now) { SpanCount = group.Count };
                    _idToTrace[id] = trace;
                    newTraceIds++;
                    _batcher.AddToCurrentBatch(id);
                    AcceptTrace(id, now);
                }
                else
                {
                    trace.SpanCount += group.Count;
                }

                if (trace.FinalDecision == SamplingDecision.Unspecified)
                {
                    trace.Spans.AddRange(group);
                    continue;
                }

                // A late span: it follows the decision already taken.
                switch (trace.FinalDecision)
                {
                    case SamplingDecision.Sampled:
                        releases.Add(group);
                        ReleaseSampled(id, group.Count);
                        break;
                    case SamplingDecision.NotSampled:
                        ReleaseNotSampled(id, TraceOutcome.SampledOut, group.Count);
                        break;
                    default:
                        // upstream: "Unexpected sampling decision" warning; a Dropped trace's late spans are lost.
                        _ledger.Record(id, TraceOutcome.DroppedByPolicy, group.Count);
                        break;
                }

                if (trace.DecisionTime is { } decided)
                {
                    _telemetry.LateSpanAge.Record((long)(now - decided).TotalSeconds);
                }
            }
        }

        _telemetry.NewTraceIdReceived.Add(newTraceIds);
        await ForwardAsync(releases, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One firing of the decision ticker (upstream samplingPolicyOnTick). <see cref="Start"/> calls it every second.</summary>
    public async ValueTask TickAsync(CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var releases = new List<IReadOnlyList<TraceSpan>>();
        long notFound = 0, errors = 0;
        var counts = new Dictionary<(int Policy, SamplingDecision Decision), long>();
        var decided = _observer is null ? null : new List<TraceDecisionRecord>();
        lock (_lock)
        {
            foreach (var id in _batcher.CloseCurrentAndTakeFirstBatch())
            {
                if (!_idToTrace.TryGetValue(id, out var trace))
                {
                    notFound++;
                    continue;
                }

                trace.DecisionTime = _time.GetUtcNow();
                var verdict = _policies.Decide(id, trace.Spans);
                for (var i = 0; i < verdict.Votes.Count; i++)
                {
                    var vote = verdict.Votes[i];
                    if (vote.Decision == SamplingDecision.Unspecified)
                    {
                        continue;
                    }

                    _telemetry.DecisionLatency.Record(vote.ElapsedMicroseconds, _policyLabels[i]);
                    if (vote.Decision == SamplingDecision.Error)
                    {
                        errors++;
                        continue;
                    }

                    counts[(i, vote.Decision)] = counts.GetValueOrDefault((i, vote.Decision)) + 1;
                }

                _telemetry.GlobalCountTracesSampled.Add(1, TailSamplingTelemetry.DecisionLabels(verdict.Final));
                var spans = trace.Spans;
                trace.FinalDecision = verdict.Final;
                trace.Spans = [];
                decided?.Add(new TraceDecisionRecord(id, verdict.Final, spans));
                if (verdict.Final == SamplingDecision.Sampled)
                {
                    releases.Add(spans);
                    ReleaseSampled(id, spans.Count);
                }
                else
                {
                    var outcome = verdict.Final == SamplingDecision.Dropped ? TraceOutcome.DroppedByPolicy : TraceOutcome.SampledOut;
                    ReleaseNotSampled(id, outcome, spans.Count);
                }
            }

            _telemetry.TracesOnMemory.Record(_idToTrace.Count);
        }

        _telemetry.TraceDroppedTooEarly.Add(notFound);
        _telemetry.PolicyEvaluationError.Add(errors);
        Observe(decided);
        foreach (var ((policy, decision), count) in counts)
        {
            _telemetry.CountTracesSampled.Add(count, [.. _policyLabels[policy], .. TailSamplingTelemetry.DecisionLabels(decision)]);
        }

        // upstream releases sampled traces inside the tick, and times the whole run.
        await ForwardAsync(releases, cancellationToken).ConfigureAwait(false);
        _telemetry.DecisionTimerLatency.Record((long)_time.GetElapsedTime(started).TotalMilliseconds);
    }

    public ValueTask DisposeAsync()
    {
        _ticker?.Dispose();
        return ValueTask.CompletedTask;
    }

    // Lab instrumentation: outside the lock, and an observer bug never reaches the data path.
    private void Observe(List<TraceDecisionRecord>? decided)
    {
        foreach (var record in decided ?? [])
        {
            try
            {
                _observer!.OnDecision(record);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Interlocked.Increment(ref _observerFailures);
            }
        }
    }

    private async Task TickFromTimerAsync()
    {
        // upstream's Go ticker drops ticks for a slow receiver: a tick that finds the previous one running is skipped.
        if (Interlocked.CompareExchange(ref _ticking, 1, 0) != 0)
        {
            return;
        }

        try
        {
            await TickAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // A timer callback has no caller to surface to: count it so a scenario can assert there were none.
            Interlocked.Increment(ref _tickFailures);
        }
        finally
        {
            Volatile.Write(ref _ticking, 0);
        }
    }

    // upstream DropOldTracesLimiter.AcceptTrace: a FIFO of num_traces ids; when full, the oldest is dropped first.
    private void AcceptTrace(TraceId id, DateTimeOffset now)
    {
        if ((ulong)_limiter.Count >= _maxTraces)
        {
            DropTrace(_limiter.Dequeue(), now);
        }

        _limiter.Enqueue(id);
    }

    private void DropTrace(TraceId id, DateTimeOffset now)
    {
        if (!_idToTrace.Remove(id, out var trace))
        {
            return; // upstream: "Attempt to delete trace ID not on table"
        }

        if (trace.FinalDecision == SamplingDecision.Unspecified && trace.Spans.Count > 0)
        {
            _ledger.Record(id, TraceOutcome.DroppedTooEarly, trace.Spans.Count);
        }

        _telemetry.TraceRemovalAge.Record((long)(now - trace.ArrivalTime).TotalSeconds);
    }

    // upstream releaseSampledTrace: cache the decision; the trace leaves memory only if the cache holds it.
    private void ReleaseSampled(TraceId id, int spans)
    {
        _ledger.Record(id, TraceOutcome.Kept, spans);
        if (_sampledCache is not null)
        {
            _sampledCache.Add(id, true);
            DropTrace(id, _time.GetUtcNow());
        }
    }

    private void ReleaseNotSampled(TraceId id, TraceOutcome outcome, int spans)
    {
        _ledger.Record(id, outcome, spans);
        if (_nonSampledCache is not null)
        {
            _nonSampledCache.Add(id, true);
            DropTrace(id, _time.GetUtcNow());
        }
    }

    private async ValueTask ForwardAsync(List<IReadOnlyList<TraceSpan>> releases, CancellationToken cancellationToken)
    {
        foreach (var spans in releases)
        {
            try
            {
                await _next.ConsumeAsync(spans, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                Interlocked.Increment(ref _forwardFailures);
            }
        }
    }

    private static IEnumerable<(TraceId Id, List<TraceSpan> Spans)> GroupByTrace(IReadOnlyList<TraceSpan> spans)
    {
        var order = new List<TraceId>();
        var groups = new Dictionary<TraceId, List<TraceSpan>>();
        foreach (var span in spans)
        {
            if (!groups.TryGetValue(span.TraceId, out var list))
            {
                list = [];
                groups[span.TraceId] = list;
                order.Add(span.TraceId);
            }

            list.Add(span);
        }

        return order.Select(id => (id, groups[id]));
    }
}
