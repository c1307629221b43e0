using System.Collections.Concurrent;
using OtelLab.Backends.Capture.Internal;

namespace OtelLab.Backends.Capture;

/// <summary>
/// Everything one mock backend accepted and rejected, decoded into one model, bounded in memory (a ring per
/// signal of <see cref="CapacityPerSignal"/> items; what falls out is counted in <see cref="CaptureSummary.Evicted"/>).
/// Thread-safe; queries return copies. Credentials are only ever stored as <see cref="CredentialFingerprint"/>.
/// </summary>
public sealed class CaptureStore
{
    /// <summary>Default ring size per signal: large enough for a scenario, small enough for a 24 GiB machine.</summary>
    public const int DefaultCapacityPerSignal = 200_000;

    private readonly BoundedRing<CapturedSpan> _spans;
    private readonly BoundedRing<CapturedMetric> _metrics;
    private readonly BoundedRing<CapturedLog> _logs;
    private readonly BoundedRing<CapturedRejection> _rejections;
    private readonly IngestRateMeter _rate;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, long[]> _services = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CredentialUsage> _credentials = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long[]> _otherIntake = new(StringComparer.Ordinal);
    private long _acceptedPoints;
    private long _acceptedLogs;
    private long _rejectedItems;
    private long _rejectedRequests;
    private TaskCompletionSource _changed = NewSignal();

    public CaptureStore(string backend, int capacityPerSignal = DefaultCapacityPerSignal, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(backend);
        if (capacityPerSignal < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(capacityPerSignal), capacityPerSignal, "The capture capacity must be at least 1 item per signal.");
        }

        Backend = backend;
        _time = time ?? TimeProvider.System;
        _spans = new BoundedRing<CapturedSpan>(capacityPerSignal);
        _metrics = new BoundedRing<CapturedMetric>(capacityPerSignal);
        _logs = new BoundedRing<CapturedLog>(capacityPerSignal);
        _rejections = new BoundedRing<CapturedRejection>(Math.Min(capacityPerSignal, 100_000));
        _rate = new IngestRateMeter(_time);
    }

    public string Backend { get; }

    public int CapacityPerSignal => _spans.Capacity;

    // ---- queries -------------------------------------------------------------------------------------------

    public IReadOnlyList<CapturedSpan> Spans() => _spans.Snapshot();

    /// <summary>Spans accepted after the first <paramref name="after"/> (those still held), and the count to pass next time.</summary>
    public (IReadOnlyList<CapturedSpan> Spans, long Total) SpansSince(long after) => _spans.Since(after);

    public IReadOnlyList<CapturedSpan> SpansOfService(string serviceName) =>
        _spans.Snapshot(s => string.Equals(s.ServiceName, serviceName, StringComparison.Ordinal));

    public IReadOnlyList<CapturedSpan> SpansOfTrace(UInt128 traceId) => _spans.Snapshot(s => s.TraceId == traceId);

    /// <summary>Spans of a trace given as 32 hex digits (OTLP/W3C form); 16 hex digits match a Datadog 64-bit id's low half.</summary>
    public IReadOnlyList<CapturedSpan> SpansOfTrace(string traceIdHex)
    {
        ArgumentNullException.ThrowIfNull(traceIdHex);
        if (!UInt128.TryParse(traceIdHex, System.Globalization.NumberStyles.HexNumber, null, out var id))
        {
            return [];
        }

        return traceIdHex.Length <= 16 ? _spans.Snapshot(s => (ulong)s.TraceId == (ulong)id) : SpansOfTrace(id);
    }

    public IReadOnlyList<CapturedMetric> Metrics() => _metrics.Snapshot();

    public IReadOnlyList<CapturedMetric> MetricsNamed(string name) =>
        _metrics.Snapshot(m => string.Equals(m.Name, name, StringComparison.Ordinal));

    public IReadOnlyList<CapturedLog> Logs() => _logs.Snapshot();

    public IReadOnlyList<CapturedRejection> Rejections() => _rejections.Snapshot();

    public IReadOnlyList<CredentialUsage> Credentials() => [.. _credentials.Values.OrderBy(c => c.Credential, StringComparer.Ordinal)];

    public CaptureSummary Summary(int rateWindowSeconds = 10) => new(
        Backend,
        _spans.Total,
        Interlocked.Read(ref _acceptedPoints),
        Interlocked.Read(ref _acceptedLogs),
        Interlocked.Read(ref _rejectedItems),
        Interlocked.Read(ref _rejectedRequests),
        _spans.Evicted + _metrics.Evicted + _logs.Evicted,
        CapacityPerSignal,
        _rate.PerSecond(rateWindowSeconds),
        _services.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(
            kv => kv.Key,
            kv => new ServiceCounts(Interlocked.Read(ref kv.Value[0]), Interlocked.Read(ref kv.Value[1]), Interlocked.Read(ref kv.Value[2])),
            StringComparer.Ordinal),
        [.. _otherIntake.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => new IntakeCounts(kv.Key, Interlocked.Read(ref kv.Value[0]), Interlocked.Read(ref kv.Value[1])))]);

    /// <summary>Waits, without polling, until <paramref name="condition"/> holds over this store or the timeout passes.</summary>
    public async Task<bool> WaitUntilAsync(Func<CaptureStore, bool> condition, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        // Wall-clock timeout: a test on a manual clock must not wait forever.
        using var timeoutCts = new CancellationTokenSource(timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeoutCts.Token, cancellationToken);
        while (true)
        {
            var changed = Volatile.Read(ref _changed).Task;
            if (condition(this))
            {
                return true;
            }

            try
            {
                await changed.WaitAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return condition(this);
            }
        }
    }

    // ---- ingest (called by the backends' endpoints) ---------------------------------------------------------

    internal void AddSpans(ReadOnlySpan<CapturedSpan> spans)
    {
        if (spans.IsEmpty)
        {
            return;
        }

        _spans.AddRange(spans);
        _rate.Add(spans.Length);
        CountByService(spans, static s => s.ServiceName, 0);
        Pulse();
    }

    internal void AddMetrics(ReadOnlySpan<CapturedMetric> metrics)
    {
        if (metrics.IsEmpty)
        {
            return;
        }

        _metrics.AddRange(metrics);
        long points = 0;
        foreach (var metric in metrics)
        {
            points += metric.PointCount;
            Interlocked.Add(ref Service(metric.ServiceName)[1], metric.PointCount);
        }

        Interlocked.Add(ref _acceptedPoints, points);
        _rate.Add(points);
        Pulse();
    }

    internal void AddLogs(ReadOnlySpan<CapturedLog> logs)
    {
        if (logs.IsEmpty)
        {
            return;
        }

        _logs.AddRange(logs);
        Interlocked.Add(ref _acceptedLogs, logs.Length);
        _rate.Add(logs.Length);
        CountByService(logs, static l => l.ServiceName, 2);
        Pulse();
    }

    /// <summary>Records a refusal. <paramref name="wholeRequest"/> is false for items refused inside an accepted request.</summary>
    internal void AddRejection(CapturedRejection rejection, bool wholeRequest)
    {
        _rejections.AddRange([rejection]);
        Interlocked.Add(ref _rejectedItems, Math.Max(0, rejection.ItemCount));
        if (wholeRequest)
        {
            Interlocked.Increment(ref _rejectedRequests);
        }

        Pulse();
    }

    internal void RecordCredential(CredentialFingerprint credential, bool accepted)
    {
        var now = _time.GetUtcNow();
        _credentials.AddOrUpdate(
            credential.Masked,
            static (key, state) => new CredentialUsage(key, state.accepted ? 1 : 0, state.accepted ? 0 : 1, state.now),
            static (_, old, state) => old with
            {
                AcceptedRequests = old.AcceptedRequests + (state.accepted ? 1 : 0),
                RejectedRequests = old.RejectedRequests + (state.accepted ? 0 : 1),
                LastSeen = state.now,
            },
            (accepted, now));
    }

    internal void RecordOtherIntake(string path, long bytes)
    {
        var counts = _otherIntake.GetOrAdd(path, static _ => new long[2]);
        Interlocked.Increment(ref counts[0]);
        Interlocked.Add(ref counts[1], bytes);
        Pulse();
    }

    internal DateTimeOffset Now() => _time.GetUtcNow();

    private long[] Service(string name) => _services.GetOrAdd(name, static _ => new long[3]);

    private void CountByService<T>(ReadOnlySpan<T> items, Func<T, string> service, int slot)
    {
        // Items of one request usually share a service: count runs, not items, to touch the dictionary rarely.
        string? current = null;
        long run = 0;
        foreach (var item in items)
        {
            var name = service(item);
            if (!ReferenceEquals(name, current) && !string.Equals(name, current, StringComparison.Ordinal))
            {
                if (current is not null)
                {
                    Interlocked.Add(ref Service(current)[slot], run);
                }

                current = name;
                run = 0;
            }

            run++;
        }

        if (current is not null)
        {
            Interlocked.Add(ref Service(current)[slot], run);
        }
    }

    private void Pulse()
    {
        var previous = Interlocked.Exchange(ref _changed, NewSignal());
        previous.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
