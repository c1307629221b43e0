using System.Threading.Channels;
using OtelLab.Sim.Collector.Metrics;
using OtelLab.Sim.Collector.Pipeline;
using OtelLab.Sim.Collector.Runtime;
using OtelLab.Sim.Collector.Telemetry;
using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Sim.Collector.Processors.Batch;

/// <summary>
/// The <c>batch</c> processor. Items go through a small channel to one batching loop (its own execution flow, so the
/// caller's <see cref="ClientInfo"/> does not reach the next component — only the <c>metadata_keys</c> values do, in
/// a ClientInfo without an address), which sends when <c>send_batch_size</c> is reached (split at
/// <c>send_batch_max_size</c>) or when the <c>timeout</c> timer fires; export errors are logged and the data is lost.
/// upstream: processor/batchprocessor (config.go defaults send_batch_size 8192, timeout 200ms, send_batch_max_size 0,
/// metadata_cardinality_limit 1000, "send_batch_max_size must be greater or equal to send_batch_size";
/// batch_processor.go: newItem channel, shard per metadata value set, timer reset after each send,
/// exportCtx = client.NewContext(context.Background(), client.Info{Metadata: …}), "Sender failed";
/// metadata.yaml: otelcol_processor_batch_batch_send_size, _batch_size_trigger_send, _timeout_trigger_send,
/// _metadata_cardinality).
/// </summary>
public sealed class BatchProcessor : ICollectorComponent, ITraceConsumer, IMetricConsumer
{
    private static readonly IReadOnlyList<double> SendSizeBuckets =
        [10, 25, 50, 75, 100, 250, 500, 750, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10000, 20000, 30000, 50000, 100000];

    private readonly ComponentCreateContext _context;
    private readonly CollectorLog _log;
    private readonly int _sendBatchSize;
    private readonly int _sendBatchMaxSize;
    private readonly TimeSpan _timeout;
    private readonly string[] _metadataKeys;
    private readonly int _cardinalityLimit;
    // Synchronous continuations: an item that finds the loop waiting runs the loop's next turn on the caller's thread
    // (the loop keeps its own execution context, so no AsyncLocal of the caller's reaches it) instead of queueing it to
    // the thread pool. A scrape hands the loop one item, so that was a thread-pool hand-off per scrape: measured at
    // 9,000 targets and 300 scrapes/s (bench/Lab.Bench.Scrape), 5.0–5.8 thread-pool work items per scrape before,
    // 4.2–4.4 after.
    private readonly Channel<Message> _items = Channel.CreateBounded<Message>(new BoundedChannelOptions(2) { SingleReader = true, AllowSynchronousContinuations = true });
    private readonly Dictionary<string, Shard> _shards = new(StringComparer.Ordinal);
    private readonly HistogramMetric _sendSize;
    private readonly CounterMetric _sizeTrigger;
    private readonly CounterMetric _timeoutTrigger;
    private readonly GaugeMetric _cardinality;
    private readonly KeyValuePair<string, string>[] _labels;
    private Task? _loop;

    public BatchProcessor(ComponentCreateContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        _log = new CollectorLog(context.Container.Log, context.Time);
        var settings = new ComponentSettings(context.Id, context.Settings);
        _sendBatchSize = settings.Int("send_batch_size", 8192);
        _sendBatchMaxSize = settings.Int("send_batch_max_size", 0);
        _timeout = settings.Duration("timeout", TimeSpan.FromMilliseconds(200));
        _metadataKeys = [.. settings.StringList("metadata_keys").Select(k => k.ToLowerInvariant())];
        _cardinalityLimit = settings.Int("metadata_cardinality_limit", 1000);
        if (_sendBatchMaxSize > 0 && _sendBatchMaxSize < _sendBatchSize)
        {
            throw new CollectorStartException($"invalid configuration: processors::{context.Id}: send_batch_max_size must be greater or equal to send_batch_size");
        }

        var registry = context.Telemetry;
        _sendSize = registry.Histogram("otelcol_processor_batch_batch_send_size", "Number of units in the batch", SendSizeBuckets);
        _sizeTrigger = registry.Counter("otelcol_processor_batch_batch_size_trigger_send", "Number of times the batch was sent due to a size trigger");
        _timeoutTrigger = registry.Counter("otelcol_processor_batch_timeout_trigger_send", "Number of times the batch was sent due to a timeout trigger");
        _cardinality = registry.Gauge("otelcol_processor_batch_metadata_cardinality", "Number of distinct metadata value combinations being processed");
        _labels = [new("processor", context.Id.ToString())];
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // The loop must not inherit the starting flow's AsyncLocals (a Go goroutine started from context.Background()).
        using (ExecutionContext.SuppressFlow())
        {
            _loop = Task.Run(RunAsync, CancellationToken.None);
        }

        return Task.CompletedTask;
    }

    public async Task ShutdownAsync(CancellationToken cancellationToken)
    {
        if (_items.Writer.TryComplete() && _loop is not null)
        {
            await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public ValueTask DisposeAsync() => new(ShutdownAsync(CancellationToken.None));

    public ValueTask ConsumeAsync(IReadOnlyList<TraceSpan> spans, CancellationToken cancellationToken) =>
        spans.Count == 0 ? ValueTask.CompletedTask : EnqueueAsync(new Message(ShardKey(), spans, null, false), cancellationToken);

    public ValueTask ConsumeAsync(IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken) =>
        points.Count == 0 ? ValueTask.CompletedTask : EnqueueAsync(new Message(ShardKey(), null, points, false), cancellationToken);

    private async ValueTask EnqueueAsync(Message message, CancellationToken cancellationToken)
    {
        try
        {
            await _items.Writer.WriteAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            throw new ConsumerRefusedException("the batch processor is shut down");
        }
    }

    private string ShardKey()
    {
        if (_metadataKeys.Length == 0)
        {
            return string.Empty;
        }

        var metadata = ClientInfo.Current?.Metadata;
        return string.Join('\u0001', _metadataKeys.Select(k => metadata?.FirstOrDefault(kv => string.Equals(kv.Key, k, StringComparison.OrdinalIgnoreCase)).Value ?? string.Empty));
    }

    private async Task RunAsync()
    {
        await foreach (var message in _items.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            if (!_shards.TryGetValue(message.Shard, out var shard))
            {
                if (_shards.Count >= _cardinalityLimit)
                {
                    _log.Error("Sender failed", CollectorLog.Component("processor", _context.Id.ToString(), _context.Signal, ("error", "too many batcher metadata-value combinations")));
                    continue;
                }

                shard = new Shard(message.Shard);
                shard.Timer = _context.Time.CreateTimer(
                    static state => ((Shard)state!).Owner!.OnTimer((Shard)state), shard, _timeout, _timeout);
                shard.Owner = this;
                _shards[message.Shard] = shard;
                _cardinality.Record(_shards.Count, _labels);
            }

            if (message.Tick)
            {
                if (shard.Count > 0)
                {
                    _timeoutTrigger.Add(1, _labels);
                    await SendAsync(shard, shard.Count).ConfigureAwait(false);
                }

                continue;
            }

            if (message.Spans is not null)
            {
                shard.Spans.AddRange(message.Spans);
            }
            else
            {
                shard.Points.AddRange(message.Points!);
            }

            while (shard.Count >= _sendBatchSize)
            {
                _sizeTrigger.Add(1, _labels);
                await SendAsync(shard, _sendBatchMaxSize > 0 ? Math.Min(_sendBatchMaxSize, shard.Count) : shard.Count).ConfigureAwait(false);
                shard.Timer?.Change(_timeout, _timeout);
            }
        }

        // Shutdown: flush every shard.
        foreach (var shard in _shards.Values)
        {
            shard.Timer?.Dispose();
            while (shard.Count > 0)
            {
                await SendAsync(shard, _sendBatchMaxSize > 0 ? Math.Min(_sendBatchMaxSize, shard.Count) : shard.Count).ConfigureAwait(false);
            }
        }
    }

    private void OnTimer(Shard shard) => _items.Writer.TryWrite(new Message(shard.Key, null, null, true));

    private async Task SendAsync(Shard shard, int count)
    {
        _sendSize.Record(count, _labels);
        IDisposable? scope = null;
        if (_metadataKeys.Length > 0)
        {
            var values = shard.Key.Split('\u0001');
            scope = ClientInfo.Enter(new ClientInfo(null, _metadataKeys.Select((k, i) => (k, values[i])).ToDictionary(x => x.k, x => x.Item2, StringComparer.Ordinal)));
        }

        try
        {
            if (_context.Signal == "traces")
            {
                var batch = shard.Spans.GetRange(0, count);
                shard.Spans.RemoveRange(0, count);
                await _context.NextTraces!.ConsumeAsync(batch, CancellationToken.None).ConfigureAwait(false);
            }
            else
            {
                var batch = shard.Points.GetRange(0, count);
                shard.Points.RemoveRange(0, count);
                await _context.NextMetrics!.ConsumeAsync(batch, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _log.Warn("Sender failed", CollectorLog.Component("processor", _context.Id.ToString(), _context.Signal, ("error", e.Message)));
        }
        finally
        {
            scope?.Dispose();
        }
    }

    private sealed record Message(string Shard, IReadOnlyList<TraceSpan>? Spans, IReadOnlyList<MetricPoint>? Points, bool Tick);

    private sealed class Shard(string key)
    {
        public string Key { get; } = key;

        public List<TraceSpan> Spans { get; } = [];

        public List<MetricPoint> Points { get; } = [];

        public int Count => Spans.Count + Points.Count;

        public ITimer? Timer { get; set; }

        public BatchProcessor? Owner { get; set; }
    }
}
