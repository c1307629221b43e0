using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using k8s.Autorest;
using OtelLab.Sim.ApiServer;
using OtelLab.Sim.ApiServer.Internal.Informers;
using OtelLab.Sim.Cluster;
using OtelLab.Sim.Operator.Internal;

namespace OtelLab.Sim.Operator;

/// <summary>
/// The operator as an API client, as controller-runtime's manager runs it: informers on the collectors and the kinds
/// they own feed a work queue of namespace/name keys (a change to an owned object enqueues its controller owner), one
/// worker reconciles one key at a time (MaxConcurrentReconciles 1, the default), a failed reconcile is logged as
/// "Reconciler error" with the API server's message, recorded as a Warning event on the collector, and retried after
/// the rate limiter's backoff. upstream: controller-runtime pkg/internal/controller/controller.go
/// (Start: WaitForCacheSync then workers; reconcileHandler: error → AddRateLimited, success → Forget).
/// </summary>
public sealed class OperatorManager : IAsyncDisposable
{
    private const int KeptLogLines = 2000;

    // zap's JSON escapes a quote as \" (not \u0022): the API server's message reads as kubectl shows it.
    private static readonly JsonSerializerOptions Fields = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly OpenTelemetryOperator _operator;
    private readonly WireOperatorClient _client;
    private readonly ReconcileQueue _queue;
    private readonly TimeProvider _time;
    private readonly Action<string>? _log;
    private readonly Queue<string> _lines = new();
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _worker = Task.CompletedTask;
    private int _reconciles;
    private int _errors;

    private OperatorManager(OpenTelemetryOperator op, WireOperatorClient client, TimeProvider time, Action<string>? log)
    {
        _operator = op;
        _client = client;
        _time = time;
        _log = log;
        _queue = new ReconcileQueue(time);
    }

    /// <summary>Reconciles run so far (successful or not).</summary>
    public int Reconciles => Volatile.Read(ref _reconciles);

    /// <summary>Reconciles that failed (and were requeued with backoff).</summary>
    public int Errors => Volatile.Read(ref _errors);

    /// <summary>Keys queued, being reconciled or waiting out a backoff.</summary>
    public int Pending => _queue.Pending;

    /// <summary>What the manager's informers did: lists, watches, 410s, bookmarks.</summary>
    public InformerCounts Counts
    {
        get
        {
            var all = _client.Informers.ToList();
            return new InformerCounts(all.Count, all.Sum(i => i.Lists), all.Sum(i => i.Watches), all.Sum(i => i.Expired), all.Sum(i => i.Bookmarks));
        }
    }

    /// <summary>The manager's log, newest last (the last <c>2000</c> lines).</summary>
    public IReadOnlyList<string> Log
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines];
            }
        }
    }

    internal static OperatorManager Start(OpenTelemetryOperator op, WireOperatorClient client, TimeProvider time, Action<string>? log)
    {
        var manager = new OperatorManager(op, client, time, log);
        foreach (var informer in client.Informers)
        {
            informer.Changed += manager.Enqueue;
        }

        manager._worker = Task.Run(() => manager.RunAsync(manager._stop.Token));
        return manager;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _worker.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        foreach (var informer in _client.Informers)
        {
            informer.Changed -= Enqueue;
        }

        _client.Dispose();
        _queue.Dispose();
        _stop.Dispose();
    }

    private void Enqueue(WatchEvent e)
    {
        foreach (var key in OpenTelemetryOperator.OwnerKeys(e))
        {
            _queue.Add(key);
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        // controller.go Start: the workers start once every informer's cache has synced; a refused list is logged
        // with the API server's message and its informer keeps retrying (its reads are then empty).
        foreach (var informer in _client.Informers)
        {
            try
            {
                await informer.WaitSyncedAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (ClusterApiException e)
            {
                Write("ERROR", "Failed to list", informer.Kind.Kind, null, null, e.Message);
            }
        }

        Write("INFO", "Starting workers", "opentelemetrycollector", null, null, null);
        while (!cancellationToken.IsCancellationRequested)
        {
            var key = await _queue.GetAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                Interlocked.Increment(ref _reconciles);
                await _operator.SyncAsync(_client, key.Item1, key.Item2, cancellationToken).ConfigureAwait(false);
                _queue.Forget(key);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // reconcileHandler: an error (a panic too, RecoverPanic) is logged and the key requeued rate-limited;
                // the worker goes on with the next key.
                Interlocked.Increment(ref _errors);
                var error = Informer.AsApiError(e);
                Write("ERROR", "Reconciler error", "opentelemetrycollector", key.Item1, key.Item2, error.Message);
                await WarnAsync(key, error.Message, cancellationToken).ConfigureAwait(false);
                _queue.AddRateLimited(key);
            }
            finally
            {
                _queue.Done(key);
            }
        }
    }

    // The refusal on the collector as an event (kubectl describe shows it); when events are refused too, the log has it.
    private async Task WarnAsync((string, string) key, string message, CancellationToken cancellationToken)
    {
        try
        {
            await _client.WarningAsync(ResourceKind.Of("OpenTelemetryCollector"), key.Item1, key.Item2, "Error", message, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException or IOException)
        {
            Write("ERROR", "Failed to record event", "opentelemetrycollector", key.Item1, key.Item2, Informer.AsApiError(e).Message);
        }
    }

    // controller-runtime's zap console encoder: time, level, message, then the key/values as JSON.
    private void Write(string level, string message, string controller, string? ns, string? name, string? error)
    {
        var fields = new Dictionary<string, string?> { ["controller"] = controller };
        if (ns is not null)
        {
            fields["namespace"] = ns;
            fields["name"] = name;
        }

        if (error is not null)
        {
            fields["error"] = error;
        }

        var line = string.Create(CultureInfo.InvariantCulture, $"{_time.GetUtcNow():yyyy-MM-ddTHH:mm:ss.fffZ}\t{level}\t{message}\t{JsonSerializer.Serialize(fields, Fields)}");
        lock (_gate)
        {
            _lines.Enqueue(line);
            while (_lines.Count > KeptLogLines)
            {
                _lines.Dequeue();
            }
        }

        _log?.Invoke(line);
    }
}
