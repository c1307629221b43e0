using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using OtelLab.Model.Time;
using ExponentialBackOff = OtelLab.Sim.Collector.Internal.ExponentialBackOff;
using OtelLab.Sim.Collector.Metrics;
using OtelLab.Sim.Collector.Pipeline;
using OtelLab.Sim.Collector.Runtime;
using OtelLab.Sim.Collector.Telemetry;
using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Sim.Collector.Exporters;

/// <summary>
/// exporterhelper for every emulated exporter: sending queue → metrics → retry → timeout → push. Subclasses implement
/// one push attempt (<see cref="PushTracesAsync"/>/<see cref="PushMetricsAsync"/>) and never throw from it.
/// upstream: exporter/exporterhelper (queue_sender.go / internal/queuebatch: <c>sending_queue</c> enabled,
/// <c>num_consumers 10</c>, <c>queue_size 1000</c> requests, full → <c>sending queue is full</c> returned to the caller
/// and counted in <c>otelcol_exporter_enqueue_failed_*</c>; retry_sender.go: <c>initial_interval 5s</c>,
/// <c>randomization_factor 0.5</c>, <c>multiplier 1.5</c>, <c>max_interval 30s</c>, <c>max_elapsed_time 5m</c>, a
/// throttle hint wins when larger, logs "Exporting failed. Will retry the request after interval."; permanent errors
/// and exhausted retries log "Exporting failed. Dropping data." and count <c>otelcol_exporter_send_failed_*</c> once per
/// request; timeout_sender.go: <c>timeout 5s</c> per attempt). Shutdown drains the queue; a retry wait is cut short by
/// shutdown, as upstream's retry sender returns on its stop channel.
/// </summary>
public abstract class QueuedRetryExporter : ICollectorComponent, ITraceConsumer, IMetricConsumer
{
    private readonly Channel<Request>? _queue;
    private readonly CancellationTokenSource _abort = new();

    /// <summary>How long an aborted shutdown waits for its consumers to drop what they hold (wall time).</summary>
    private static readonly TimeSpan AbortedDrainBound = TimeSpan.FromSeconds(1);
    private readonly int _queueCapacity;
    private readonly int _consumers;
    private readonly RetrySettings _retry;
    /// <summary>The shortest wall time an export attempt gets, whatever the lab clock's scale (see <see cref="LabClock.TimeoutOf"/>).</summary>
    internal static readonly TimeSpan MinimumWallTimeout = TimeSpan.FromSeconds(1);

    private readonly TimeSpan _timeout;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly List<Task> _workers = [];
    private readonly CounterMetric _sent;
    private readonly CounterMetric _failed;
    private readonly CounterMetric _enqueueFailed;
    private readonly GaugeMetric _queueSize;
    private readonly GaugeMetric _queueCapacityGauge;
    private readonly KeyValuePair<string, string>[] _labels;
    private readonly KeyValuePair<string, string>[] _queueLabels;
    private int _queued;
    private int _stopped;

    /// <param name="context">The exporter's create context.</param>
    /// <param name="queueAndRetryByDefault">False for exporters that upstream builds with the queue and retry off (debug).</param>
    /// <param name="defaultTimeout">The per-attempt timeout when <c>timeout</c> is not set (exporterhelper: 5 s).</param>
    protected QueuedRetryExporter(ComponentCreateContext context, bool queueAndRetryByDefault = true, TimeSpan? defaultTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        Context = context;
        Log = new CollectorLog(context.Container.Log, context.Time);
        var settings = new ComponentSettings(context.Id, context.Settings);
        _timeout = settings.Duration("timeout", defaultTimeout ?? TimeSpan.FromSeconds(5));
        var queue = settings.Section("sending_queue");
        if (queue.Bool("enabled", queueAndRetryByDefault))
        {
            _queueCapacity = queue.Int("queue_size", 1000);
            _consumers = queue.Int("num_consumers", 10);
            if (_queueCapacity <= 0)
            {
                throw settings.Error("`queue_size` must be positive");
            }

            _queue = Channel.CreateBounded<Request>(new BoundedChannelOptions(_queueCapacity) { FullMode = BoundedChannelFullMode.Wait });
        }

        var retry = settings.Section("retry_on_failure");
        _retry = new RetrySettings(
            retry.Bool("enabled", queueAndRetryByDefault),
            retry.Duration("initial_interval", TimeSpan.FromSeconds(5)),
            retry.Double("randomization_factor", 0.5),
            retry.Double("multiplier", 1.5),
            retry.Duration("max_interval", TimeSpan.FromSeconds(30)),
            retry.Duration("max_elapsed_time", TimeSpan.FromMinutes(5)));

        var item = context.Signal == "traces" ? "spans" : "metric_points";
        var registry = context.Telemetry;
        _sent = registry.Counter($"otelcol_exporter_sent_{item}", $"Number of {item.Replace('_', ' ')} successfully sent to destination.");
        _failed = registry.Counter($"otelcol_exporter_send_failed_{item}", $"Number of {item.Replace('_', ' ')} in failed attempts to send to destination.");
        _enqueueFailed = registry.Counter($"otelcol_exporter_enqueue_failed_{item}", $"Number of {item.Replace('_', ' ')} failed to be added to the sending queue.");
        _queueSize = registry.Gauge("otelcol_exporter_queue_size", "Current size of the retry queue (in batches).");
        _queueCapacityGauge = registry.Gauge("otelcol_exporter_queue_capacity", "Fixed capacity of the retry queue (in batches).");
        _labels = [new("exporter", context.Id.ToString())];
        _queueLabels = [new("data_type", context.Signal), new("exporter", context.Id.ToString())];
    }

    protected ComponentCreateContext Context { get; }

    protected CollectorLog Log { get; }

    /// <summary>Requests waiting in the sending queue.</summary>
    public int QueueSize => Volatile.Read(ref _queued);

    public virtual Task StartAsync(CancellationToken cancellationToken)
    {
        if (_queue is not null)
        {
            _queueCapacityGauge.Record(_queueCapacity, _queueLabels);
            _queueSize.Record(0, _queueLabels);
            for (var i = 0; i < _consumers; i++)
            {
                _workers.Add(Task.Run(ConsumeQueueAsync, CancellationToken.None));
            }
        }

        return Task.CompletedTask;
    }

    public virtual async Task ShutdownAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        // Drain: the consumers send what is queued (one attempt each once shutdown has begun), as far as the caller's
        // deadline allows; when it ends, in-flight sends are cancelled and what is left is dropped and counted
        // (upstream: the queue's shutdown ends with its context, what it still holds is lost).
        _queue?.Writer.TryComplete();
        await _shutdown.CancelAsync().ConfigureAwait(false);
        using var abort = cancellationToken.Register(() => _abort.Cancel());
        try
        {
            await Task.WhenAll(_workers).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Aborted here too, not only by the registration: its callback may run after this continuation, and the
            // subclass disposes its client as soon as this returns. Once aborted the consumers drop the rest without
            // sending, so waiting for them is short; bounded anyway against a push that ignores its token.
            await _abort.CancelAsync().ConfigureAwait(false);
            try
            {
                await Task.WhenAll(_workers).WaitAsync(AbortedDrainBound).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                Log.Error("Exporter shutdown abandoned a send that ignored cancellation", CollectorLog.Component("exporter", Context.Id.ToString(), Context.Signal));
            }
        }
    }

    public virtual async ValueTask DisposeAsync()
    {
        await ShutdownAsync(CancellationToken.None).ConfigureAwait(false);
        _abort.Dispose();
        GC.SuppressFinalize(this);
    }

    public ValueTask ConsumeAsync(IReadOnlyList<TraceSpan> spans, CancellationToken cancellationToken) =>
        spans.Count == 0 ? ValueTask.CompletedTask : SubmitAsync(new Request(spans, null, spans.Count), cancellationToken);

    public ValueTask ConsumeAsync(IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken) =>
        points.Count == 0 ? ValueTask.CompletedTask : SubmitAsync(new Request(null, points, points.Count), cancellationToken);

    /// <summary>One attempt to send spans; return a result, never throw.</summary>
    protected abstract Task<ExportResult> PushTracesAsync(IReadOnlyList<TraceSpan> spans, CancellationToken cancellationToken);

    /// <summary>One attempt to send metric points; return a result, never throw.</summary>
    protected abstract Task<ExportResult> PushMetricsAsync(IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken);

    /// <summary>upstream "Partial success response": a warning, and the request still counts as sent.</summary>
    protected void LogPartialSuccess(string message, long rejected) =>
        Log.Warn("Partial success response", CollectorLog.Component("exporter", Context.Id.ToString(), Context.Signal,
            ("message", message), (Context.Signal == "traces" ? "dropped_spans" : "dropped_data_points", rejected)));

    private async ValueTask SubmitAsync(Request request, CancellationToken cancellationToken)
    {
        if (_queue is null)
        {
            // No queue: the caller waits for the send and gets its error (upstream: the error reaches the receiver).
            if (!await SendAsync(request, cancellationToken).ConfigureAwait(false))
            {
                throw new ConsumerRefusedException("Exporting failed", permanent: false);
            }

            return;
        }

        if (!_queue.Writer.TryWrite(request))
        {
            _enqueueFailed.Add(request.Items, _labels);
            Log.Error("Exporting failed. Rejecting data.", CollectorLog.Component("exporter", Context.Id.ToString(), Context.Signal,
                ("error", "sending queue is full"), ("rejected_items", request.Items)));
            throw new ConsumerRefusedException("sending queue is full");
        }

        _queueSize.Record(Interlocked.Increment(ref _queued), _queueLabels);
    }

    private async Task ConsumeQueueAsync()
    {
        await foreach (var request in _queue!.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            _queueSize.Record(Interlocked.Decrement(ref _queued), _queueLabels);
            SlotWaitMeter.Exports.RecordSince(request.Enqueued);
            if (_abort.IsCancellationRequested)
            {
                ShutdownLoss.RecordExport(request.Items);
                Log.Error("Exporting failed. Dropping data.", CollectorLog.Component("exporter", Context.Id.ToString(), Context.Signal,
                    ("error", "interrupted due to shutdown: the shutdown deadline ended the drain"), ("dropped_items", request.Items)));
                continue;
            }

            if (!await SendAsync(request, _abort.Token).ConfigureAwait(false) && _abort.IsCancellationRequested)
            {
                ShutdownLoss.RecordExport(request.Items);
            }
        }
    }

    // metrics → retry → timeout → push; true when sent.
    private async Task<bool> SendAsync(Request request, CancellationToken cancellationToken)
    {
        var started = Context.Time.GetUtcNow();
        var backOff = new ExponentialBackOff(_retry.InitialInterval, _retry.RandomizationFactor, _retry.Multiplier, _retry.MaxInterval);
        while (true)
        {
            var result = await AttemptAsync(request, cancellationToken).ConfigureAwait(false);
            if (result.Succeeded)
            {
                _sent.Add(request.Items, _labels);
                return true;
            }

            var giveUp = !result.Retryable || !_retry.Enabled || _shutdown.IsCancellationRequested || cancellationToken.IsCancellationRequested;
            var delay = giveUp ? TimeSpan.Zero : backOff.Next();
            if (result.RetryAfter is { } hint && hint > delay)
            {
                delay = hint;
            }

            var elapsed = Context.Time.GetUtcNow() - started;
            if (!giveUp && elapsed + delay > _retry.MaxElapsedTime)
            {
                giveUp = true;
                result = result with { Error = $"no more retries left: {result.Error}" };
            }

            if (giveUp)
            {
                _failed.Add(request.Items, _labels);
                Log.Error("Exporting failed. Dropping data.", CollectorLog.Component("exporter", Context.Id.ToString(), Context.Signal,
                    ("error", result.Retryable ? result.Error : $"not retryable error: Permanent error: {result.Error}"), ("dropped_items", request.Items)));
                return false;
            }

            Log.Info("Exporting failed. Will retry the request after interval.", CollectorLog.Component("exporter", Context.Id.ToString(), Context.Signal,
                ("error", result.Error), ("interval", delay.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s")));
            try
            {
                await Task.Delay(delay, Context.Time, _shutdown.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _failed.Add(request.Items, _labels);
                Log.Error("Exporting failed. Dropping data.", CollectorLog.Component("exporter", Context.Id.ToString(), Context.Signal,
                    ("error", $"interrupted due to shutdown: {result.Error}"), ("dropped_items", request.Items)));
                return false;
            }
        }
    }

    private async Task<ExportResult> AttemptAsync(Request request, CancellationToken cancellationToken)
    {
        using var deadline = _timeout > TimeSpan.Zero ? new CancellationTokenSource(LabClock.TimeoutOf(Context.Time, _timeout, MinimumWallTimeout), Context.Time) : new CancellationTokenSource();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);

        try
        {
            return request.Spans is not null
                ? await PushTracesAsync(request.Spans, timeout.Token).ConfigureAwait(false)
                : await PushMetricsAsync(request.Points!, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return ExportResult.Retry("context deadline exceeded");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return ExportResult.Retry(e.Message);
        }
    }

    private sealed record Request(IReadOnlyList<TraceSpan>? Spans, IReadOnlyList<MetricPoint>? Points, int Items)
    {
        /// <summary>When it was submitted (a <see cref="Stopwatch"/> timestamp): its time in the queue is a slot wait.</summary>
        public long Enqueued { get; } = Stopwatch.GetTimestamp();
    }

    private sealed record RetrySettings(
        bool Enabled, TimeSpan InitialInterval, double RandomizationFactor, double Multiplier, TimeSpan MaxInterval, TimeSpan MaxElapsedTime);
}
