using Google.Protobuf;
using OtelLab.Backends.Datadog.Protocol;
using OtelLab.Sim.Collector.Metrics;
using OtelLab.Sim.Collector.Pipeline;
using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Sim.Collector.Connectors.Datadog;

/// <summary>
/// The contrib <c>datadog</c> connector (traces → metrics): passes traces on and computes APM stats the way the
/// trace agent's concentrator does — 10 s buckets by span end time, grouped by service, operation name, resource,
/// HTTP status code and type; hits, errors, total duration and top-level hits — emitted as upstream emits them: one
/// Sum point named <c>dd.internal.stats.payload</c> whose attribute of the same name holds the protobuf
/// <c>StatsPayload</c> (upstream connector/datadogconnector, pkg/datadog metrics keyStatsPayload).
/// It must see 100% of spans: placed after tail sampling, the stats describe only the kept subset (contrib#32219).
/// Not emulated: ddsketch latency summaries (okSummary/errorSummary), peer tags, span-kind-based stats.
/// </summary>
public sealed class DatadogConnector(ComponentCreateContext context) : ICollectorComponent, ITraceConsumer
{
    /// <summary>upstream keyStatsPayload: the metric name and the attribute key.</summary>
    public const string StatsPayloadKey = "dd.internal.stats.payload";

    private const ulong BucketNanos = 10_000_000_000UL;

    private readonly Dictionary<(ulong Bucket, string Service, string Resource, uint Status), Counts> _groups = [];
    private readonly Lock _gate = new();
    private ITimer? _flush;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // The concentrator flushes every bucket interval (10 s).
        _flush = context.Time.CreateTimer(_ => _ = FlushAsync(CancellationToken.None).AsTask(), null, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10));
        return Task.CompletedTask;
    }

    public async Task ShutdownAsync(CancellationToken cancellationToken)
    {
        _flush?.Dispose();
        await FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync() => await ShutdownAsync(CancellationToken.None).ConfigureAwait(false);

    public ValueTask ConsumeAsync(IReadOnlyList<TraceSpan> spans, CancellationToken cancellationToken)
    {
        var serviceOf = spans.GroupBy(s => s.SpanId).ToDictionary(g => g.Key, g => g.First().ServiceName);
        lock (_gate)
        {
            foreach (var span in spans)
            {
                // Top level: a root, or a span whose parent (in this batch) belongs to another service.
                var topLevel = span.ParentSpanId == 0 || (serviceOf.TryGetValue(span.ParentSpanId, out var parentService) && parentService != span.ServiceName);
                var status = span.Attributes.TryGetValue("http.response.status_code", out var code) || span.Attributes.TryGetValue("http.status_code", out code) ? (uint)Math.Max(0, code.Int) : 0;
                var key = (span.EndTimeUnixNano - (span.EndTimeUnixNano % BucketNanos), span.ServiceName, span.Name, status);
                if (!_groups.TryGetValue(key, out var counts))
                {
                    _groups[key] = counts = new Counts();
                }

                counts.Hits++;
                counts.Errors += span.Status == SpanStatusCode.Error ? 1UL : 0;
                counts.Duration += span.EndTimeUnixNano - Math.Min(span.StartTimeUnixNano, span.EndTimeUnixNano);
                counts.TopLevelHits += topLevel ? 1UL : 0;
            }
        }

        return context.NextTraces?.ConsumeAsync(spans, cancellationToken) ?? ValueTask.CompletedTask;
    }

    /// <summary>Emits everything aggregated so far as one stats payload point (nothing when empty).</summary>
    public ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        KeyValuePair<(ulong Bucket, string Service, string Resource, uint Status), Counts>[] groups;
        lock (_gate)
        {
            groups = [.. _groups];
            _groups.Clear();
        }

        if (groups.Length == 0 || context.NextMetrics is null)
        {
            return ValueTask.CompletedTask;
        }

        var client = new ClientStatsPayload { Hostname = context.Container.Pod.Metadata.Name ?? string.Empty, Env = "none" };
        foreach (var bucket in groups.GroupBy(g => g.Key.Bucket).OrderBy(g => g.Key))
        {
            var b = new ClientStatsBucket { Start = bucket.Key, Duration = BucketNanos };
            foreach (var (key, counts) in bucket)
            {
                b.Stats.Add(new ClientGroupedStats
                {
                    Service = key.Service,
                    Name = "opentelemetry.internal",
                    Resource = key.Resource,
                    HTTPStatusCode = key.Status,
                    Type = "custom",
                    Hits = counts.Hits,
                    Errors = counts.Errors,
                    Duration = counts.Duration,
                    TopLevelHits = counts.TopLevelHits,
                });
            }

            client.Stats.Add(b);
        }

        var payload = new StatsPayload { AgentHostname = client.Hostname, AgentEnv = "none", ClientComputed = false };
        payload.Stats.Add(client);
        var now = (ulong)(context.Time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100UL;
        var point = new MetricPoint
        {
            Name = StatsPayloadKey,
            Kind = MetricKind.Sum,
            TimeUnixNano = now,
            Attributes = new Dictionary<string, AttributeValue> { [StatsPayloadKey] = AttributeValue.FromBytes(payload.ToByteArray()) },
        };
        return context.NextMetrics.ConsumeAsync([point], cancellationToken);
    }

    private sealed class Counts
    {
        public ulong Hits { get; set; }

        public ulong Errors { get; set; }

        public ulong Duration { get; set; }

        public ulong TopLevelHits { get; set; }
    }
}
