using System.Collections.Concurrent;
using Google.Protobuf;
using OpenTelemetry.Proto.Trace.V1;
using OtelLab.Load.Traces.Internal;
using OtelLab.Model.Time;

namespace OtelLab.Load.Traces;

/// <summary>
/// Emulated workloads producing multi-span traces across services on different pods and nodes, sent as OTLP from
/// each service's pod address to its endpoint (the node's agent). Open model: traces start on schedule
/// (<see cref="TraceLoadOptions.TracesPerSecond"/>) whether or not sends keep up; lateness is measured, never hidden.
/// Every generated trace id is recorded by class (error, slow, baseline) so checks can compare with what the
/// backends kept. The send path never throws: failures are counted by reason.
/// </summary>
public sealed class TraceLoad
{
    private readonly TraceLoadOptions _options;

    public TraceLoad(TraceLoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
    }

    /// <summary>Generates exactly <paramref name="traces"/> traces at the configured rate, sends them, and reports.</summary>
    public Task<TraceLoadReport> RunAsync(int traces, CancellationToken cancellationToken) => RunCoreAsync(traces, null, cancellationToken);

    /// <summary>Generates traces at the configured rate for <paramref name="duration"/>, sends them, and reports.</summary>
    public Task<TraceLoadReport> RunForAsync(TimeSpan duration, CancellationToken cancellationToken) => RunCoreAsync(long.MaxValue, duration, cancellationToken);

    private async Task<TraceLoadReport> RunCoreAsync(long traces, TimeSpan? duration, CancellationToken cancellationToken)
    {
        var time = _options.TimeProvider;
        var failures = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var exportLatency = new LatencyRecorder();
        var lag = new LatencyRecorder();
        var senders = _options.Services.Select(s => new ServiceSender(s, _options, failures, exportLatency)).ToList();
        var ids = new Dictionary<TraceClass, List<string>> { [TraceClass.Baseline] = [], [TraceClass.Error] = [], [TraceClass.Slow] = [] };
        var random = new Random(_options.Seed);
        long spans = 0;
        long generated = 0;
        var start = time.GetTimestamp();
        var lastGenerated = TimeSpan.Zero;
        try
        {
            while (generated < traces && !cancellationToken.IsCancellationRequested)
            {
                var elapsed = time.GetElapsedTime(start);
                if (duration is { } d && elapsed >= d)
                {
                    break;
                }

                // Every trace whose start time has come (the first at t=0) starts now; lateness is recorded.
                var due = Math.Min(traces, (long)Math.Floor(elapsed.TotalSeconds * _options.TracesPerSecond) + 1);
                if (duration is { } limit)
                {
                    due = Math.Min(due, (long)Math.Ceiling(limit.TotalSeconds * _options.TracesPerSecond));
                }

                for (; generated < due; generated++)
                {
                    var scheduled = TimeSpan.FromSeconds(generated / _options.TracesPerSecond);
                    lag.Record(elapsed > scheduled ? elapsed - scheduled : TimeSpan.Zero);
                    var (id, @class) = Generate(random, senders);
                    ids[@class].Add(id);
                    spans += _options.SpansPerTrace;
                    lastGenerated = time.GetElapsedTime(start);
                }

                // Whole milliseconds: a shorter wait ends at once and the loop would spin until the slot came.
                var next = TimerResolution.RoundUp(TimeSpan.FromSeconds(generated / _options.TracesPerSecond) - time.GetElapsedTime(start));
                if (generated < traces && next > TimeSpan.Zero)
                {
                    try
                    {
                        await Task.Delay(next, time, cancellationToken).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                }
            }
        }
        finally
        {
            await Task.WhenAll(senders.Select(s => s.CompleteAsync())).ConfigureAwait(false);
        }

        var elapsedTotal = time.GetElapsedTime(start);
        var report = new TraceLoadReport
        {
            TraceIds = ids.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)kv.Value),
            SpansGenerated = spans,
            SpansSent = senders.Sum(s => s.Sent),
            SpansFailed = senders.Sum(s => s.Failed),
            SpansDropped = senders.Sum(s => s.Dropped),
            Exports = senders.Sum(s => s.Exports),
            FailedExports = senders.Sum(s => s.FailedExports),
            FailureReasons = new Dictionary<string, long>(failures, StringComparer.Ordinal),
            Elapsed = elapsedTotal,
            GenerationElapsed = lastGenerated,
            ScheduleLag = lag.Summary(),
            ExportLatency = exportLatency.Summary(),
        };
        foreach (var sender in senders)
        {
            await sender.DisposeAsync().ConfigureAwait(false);
        }

        return report;
    }

    // One trace: span k on service k mod n, each the child of span k-1 and nested inside it in time; an error trace
    // has its deepest span ERROR, a slow trace a root of SlowDuration.
    private (string TraceId, TraceClass Class) Generate(Random random, List<ServiceSender> senders)
    {
        var roll = random.NextDouble();
        var @class = roll < _options.ErrorRatio ? TraceClass.Error
            : random.NextDouble() < _options.SlowRatio ? TraceClass.Slow
            : TraceClass.Baseline;
        var traceId = RandomId(random, 16);
        var rootDuration = @class == TraceClass.Slow ? _options.SlowDuration : _options.BaselineDuration;
        var startNanos = (ulong)(_options.TimeProvider.GetUtcNow() - rootDuration).ToUnixTimeMilliseconds() * 1_000_000UL;
        var durationNanos = (ulong)rootDuration.Ticks * 100UL;
        var n = _options.SpansPerTrace;
        var step = durationNanos / (ulong)(2 * n);
        ByteString parent = ByteString.Empty;
        for (var k = 0; k < n; k++)
        {
            var service = senders[k % senders.Count];
            var span = new Span
            {
                TraceId = traceId,
                SpanId = RandomId(random, 8),
                ParentSpanId = parent,
                Name = k == 0 ? _options.RootSpanName : k % 2 == 1 ? "POST" : "GET /internal",
                Kind = k == 0 ? Span.Types.SpanKind.Server : k % 2 == 1 ? Span.Types.SpanKind.Client : Span.Types.SpanKind.Server,
                StartTimeUnixNano = startNanos + (step * (ulong)k),
                EndTimeUnixNano = startNanos + durationNanos - (step * (ulong)k),
                Status = new Status { Code = @class == TraceClass.Error && k == n - 1 ? Status.Types.StatusCode.Error : Status.Types.StatusCode.Unset },
            };
            parent = span.SpanId;
            service.Enqueue(span);
        }

        return (Convert.ToHexStringLower(traceId.Span), @class);
    }

    private static ByteString RandomId(Random random, int length)
    {
        Span<byte> bytes = stackalloc byte[length];
        do
        {
            random.NextBytes(bytes);
        }
        while (bytes.IndexOfAnyExcept((byte)0) < 0);

        return ByteString.CopyFrom(bytes);
    }
}
