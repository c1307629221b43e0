using k8s.Models;
using OtelLab.Model.Crds;
using OtelLab.Sim.Cluster;

namespace OtelLab.Sim.TargetAllocation.Discovery;

/// <summary>
/// The TA's target discovery over the simulated cluster: the config's jobs (static_configs and kubernetes_sd_configs)
/// and, with <c>prometheus_cr.enabled</c>, one job per ServiceMonitor/PodMonitor endpoint. Everything is listed through
/// <see cref="ApiAccess"/> as the TA's ServiceAccount, so what RBAC refuses is not discovered: the refusal is logged
/// with the API server's text, as client-go's reflector logs <c>failed to list *v1.Pod: pods is forbidden: …</c>
/// (upstream: k8s.io/client-go tools/cache/reflector.go). Re-discovers on every relevant cluster change; the TA
/// applies the result on its own 5 s tick.
/// </summary>
public sealed class ClusterTargetSource : ITargetSource, IDisposable
{
    private static readonly HashSet<string> WatchedKinds = new(StringComparer.Ordinal)
    {
        "Pod", "Service", "Endpoints", "EndpointSlice", "Node", "ServiceMonitor", "PodMonitor",
        "Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding",
    };

    private readonly IClusterReader _api;
    private readonly IReadOnlyList<ScrapeConfig> _configJobs;
    private readonly PrometheusCrOptions _cr;
    private readonly Action<string> _log;
    private readonly HashSet<string> _logged = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private volatile Snapshot _snapshot = new([], []);
    private int _dirty;
    private int _running;
    private IDisposable? _subscription;

    public ClusterTargetSource(IClusterReader api, IEnumerable<ScrapeConfig> configJobs, PrometheusCrOptions? prometheusCr = null, Action<string>? log = null, string name = "EventSourcePrometheusCR")
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(configJobs);
        _api = api;
        _configJobs = [.. configJobs];
        _cr = prometheusCr ?? new PrometheusCrOptions();
        _log = log ?? (_ => { });
        Name = name;
        _snapshot = new Snapshot(_configJobs, []);
    }

    public string Name { get; }

    public IReadOnlyList<ScrapeConfig> ScrapeConfigs => _snapshot.Configs;

    public IReadOnlyList<TargetGroup> TargetGroups => _snapshot.Groups;

    /// <summary>The API errors of the last discovery pass (empty when everything could be listed).</summary>
    public IReadOnlyList<string> Errors => _snapshot.Errors;

    public event EventHandler? Changed;

    /// <summary>Discovers once now and starts following cluster changes.</summary>
    public void Start()
    {
        Refresh();
        _subscription = _api.OnChanged(WatchedKinds, null, OnClusterChanged);
    }

    public void Dispose() => _subscription?.Dispose();

    /// <summary>One discovery pass over the current cluster state; raises <see cref="Changed"/>.</summary>
    public void Refresh()
    {
        var errors = new List<string>();
        var configs = new List<ScrapeConfig>(_configJobs);
        if (_cr.Enabled)
        {
            configs.AddRange(Monitors("ServiceMonitor", _cr.ServiceMonitorSelector, errors));
            configs.AddRange(Monitors("PodMonitor", _cr.PodMonitorSelector, errors));
        }

        var groups = new List<TargetGroup>();
        var cache = new Dictionary<(string Kind, string? Ns), IReadOnlyList<object>?>();
        foreach (var config in configs)
        {
            groups.AddRange(config.StaticTargetGroups());
            foreach (var sd in config.KubernetesSdConfigs)
            {
                groups.AddRange(Discover(config.JobName, sd, cache, errors));
            }
        }

        lock (_gate)
        {
            foreach (var error in errors.Where(_logged.Add))
            {
                _log(error);
            }
        }

        _snapshot = new Snapshot(configs, groups, errors);
        Changed?.Invoke(this, EventArgs.Empty);
    }

    private void OnClusterChanged()
    {
        // Changes come in bursts: coalesce them and discover on the thread pool.
        Interlocked.Exchange(ref _dirty, 1);
        if (Interlocked.CompareExchange(ref _running, 1, 0) == 0)
        {
            _ = Task.Run(RefreshWhileDirty);
        }
    }

    private void RefreshWhileDirty()
    {
        try
        {
            while (Interlocked.Exchange(ref _dirty, 0) == 1)
            {
                Refresh();
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _log($"discovery failed: {ex.Message}");
        }
        finally
        {
            Volatile.Write(ref _running, 0);
            if (Volatile.Read(ref _dirty) == 1 && Interlocked.CompareExchange(ref _running, 1, 0) == 0)
            {
                _ = Task.Run(RefreshWhileDirty);
            }
        }
    }

    private IEnumerable<ScrapeConfig> Monitors(string kind, LabelSelector? selector, List<string> errors)
    {
        var monitors = List(kind, null, errors);
        if (monitors is null)
        {
            return [];
        }

        var configs = new List<ScrapeConfig>();
        foreach (var monitor in monitors.Cast<PrometheusMonitor>())
        {
            var labels = _api.MetadataOf(kind, monitor.Namespace, monitor.Name)?.Labels;
            if (selector is null || selector.Matches(labels))
            {
                configs.AddRange(MonitorScrapeConfigs.For(monitor, _cr.ScrapeInterval));
            }
        }

        return configs;
    }

    private IEnumerable<TargetGroup> Discover(string job, KubernetesSdConfig sd, Dictionary<(string, string?), IReadOnlyList<object>?> cache, List<string> errors)
    {
        IReadOnlyList<string> kinds = sd.Role switch
        {
            "pod" => ["Pod"],
            "endpoints" => ["Endpoints", "Service", "Pod"],
            "endpointslice" => ["EndpointSlice", "Service", "Pod"],
            "service" => ["Service"],
            _ => ["Node"],
        };
        IReadOnlyList<string?> namespaces = sd.Role == "node" || sd.Namespaces.Count == 0 ? [null] : [.. sd.Namespaces];
        var groups = new List<TargetGroup>();
        foreach (var ns in namespaces)
        {
            var lists = new Dictionary<string, IReadOnlyList<object>>(StringComparer.Ordinal);
            foreach (var kind in kinds)
            {
                if (!cache.TryGetValue((kind, ns), out var objects))
                {
                    cache[(kind, ns)] = objects = List(kind, ns, errors);
                }

                if (objects is null)
                {
                    // upstream: the informer never syncs, so the role discovers nothing.
                    return [];
                }

                lists[kind] = objects;
            }

            var view = new KubernetesObjects(
                Typed<V1Pod>(lists, "Pod"), Typed<V1Service>(lists, "Service"), Typed<V1Endpoints>(lists, "Endpoints"),
                Typed<V1EndpointSlice>(lists, "EndpointSlice"), Typed<V1Node>(lists, "Node"));
            groups.AddRange(KubernetesDiscovery.Discover(job, sd.Role, view));
        }

        return groups;
    }

    private IReadOnlyList<object>? List(string kind, string? ns, List<string> errors)
    {
        try
        {
            return _api.ListAsync(kind, ns).GetAwaiter().GetResult();
        }
        catch (ClusterApiException ex)
        {
            var type = ResourceKind.Of(kind);
            errors.Add($"failed to list *{(type.IsCustom ? "v1" : type.Version)}.{kind}: {ex.Message}");
            return null;
        }
    }

    private static IReadOnlyList<T> Typed<T>(Dictionary<string, IReadOnlyList<object>> lists, string kind) =>
        lists.TryGetValue(kind, out var objects) ? [.. objects.Cast<T>()] : [];

    private sealed record Snapshot(IReadOnlyList<ScrapeConfig> Configs, IReadOnlyList<TargetGroup> Groups, IReadOnlyList<string>? ErrorList = null)
    {
        public IReadOnlyList<string> Errors => ErrorList ?? [];
    }
}
