using k8s.Models;
using OtelLab.Sim.Cluster;

namespace OtelLab.Sim.TargetAllocation.Discovery;

/// <summary>
/// The TA's collector watcher over the simulated cluster: the pods in the TA's namespace matching
/// <c>collector_selector</c>, listed as the TA's ServiceAccount (upstream: TA internal/collector/collector.go watches
/// pods with the selector in its namespace; it reads name, node, phase and start time). A list the API refuses leaves
/// the set empty and is logged.
/// </summary>
public sealed class ClusterCollectorSource : ICollectorSource, IDisposable
{
    private readonly IClusterReader _api;
    private readonly string _namespace;
    private readonly LabelSelector _selector;
    private readonly Action<string> _log;
    private volatile IReadOnlyList<CollectorPod> _pods = [];
    private string? _lastError;
    private IDisposable? _subscription;

    public ClusterCollectorSource(IClusterReader api, string ns, LabelSelector selector, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(selector);
        _api = api;
        _namespace = ns;
        _selector = selector;
        _log = log ?? (_ => { });
    }

    public IReadOnlyList<CollectorPod> Pods => _pods;

    public event EventHandler? Changed;

    public void Start()
    {
        Refresh();
        _subscription = _api.OnChanged(["Pod"], _namespace, Refresh);
    }

    public void Dispose() => _subscription?.Dispose();

    /// <summary>Re-lists the collector pods and notifies.</summary>
    public void Refresh()
    {
        try
        {
            var pods = _api.ListAsync("Pod", _namespace, _selector).GetAwaiter().GetResult().Cast<V1Pod>();
            _pods = [.. pods.Select(p => new CollectorPod(p.Metadata.Name, p.Spec?.NodeName ?? string.Empty, p.Status?.Phase ?? "Pending", p.Status?.StartTime is { } s ? new DateTimeOffset(DateTime.SpecifyKind(s, DateTimeKind.Utc)) : null))];
        }
        catch (ClusterApiException ex)
        {
            var error = $"failed to list *v1.Pod: {ex.Message}";
            if (error != Interlocked.Exchange(ref _lastError, error))
            {
                _log(error);
            }

            _pods = [];
        }

        Changed?.Invoke(this, EventArgs.Empty);
    }
}
