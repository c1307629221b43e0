using System.Globalization;
using k8s.Models;
using OtelLab.Sim.Cluster;
using OtelLab.Sim.Collector.Internal;
using OtelLab.Sim.Collector.Metrics;
using OtelLab.Sim.Collector.Pipeline;
using OtelLab.Sim.Collector.Processors.K8sAttributes.Internal;
using OtelLab.Sim.Collector.Telemetry;
using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Sim.Collector.Processors.K8sAttributes;

/// <summary>
/// The contrib <c>k8sattributes</c> processor: identifies the pod that sent each resource (upstream pod_association.go)
/// and adds its Kubernetes metadata (internal/kube/client.go), from pod and ReplicaSet watches made through the cluster
/// API as the collector pod's ServiceAccount. A watch RBAC forbids <b>fails open</b>: data passes unenriched, client-go's
/// reflector error is in the container log, and every failed lookup counts in <c>otelsvc_k8s_ip_lookup_miss</c>.
/// </summary>
public sealed class K8sAttributesProcessor : ICollectorComponent, ITraceConsumer, IMetricConsumer
{
    /// <summary>upstream internal/metadata generated_telemetry.go (the reference's name, without the otelcol_ prefix).</summary>
    public const string LookupMissMetric = "otelsvc_k8s_ip_lookup_miss";

    private static readonly IReadOnlyList<IReadOnlyList<string>> DefaultRuleFields = [[PodField.Ip], [PodField.Uid]];

    private readonly ComponentCreateContext _context;
    private readonly PodIndex _index;
    private readonly CounterMetric _lookupMiss;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _podsSynced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<Task> _watches = [];
    private IClusterReader? _api;

    public K8sAttributesProcessor(ComponentCreateContext context, K8sAttributesConfig config)
    {
        _context = context;
        Config = config;
        var ruleFields = config.PodAssociation.Count == 0
            ? DefaultRuleFields
            : config.PodAssociation.Select(r => (IReadOnlyList<string>)r.Select(PodField.Of).ToList()).ToList();
        _index = new PodIndex(config, ruleFields);
        _lookupMiss = SharedCounters.Get(context.Telemetry, LookupMissMetric, "Number of times pod by IP lookup failed.");
    }

    public K8sAttributesConfig Config { get; }

    /// <summary>Pods in the informer cache (tests wait on it instead of sleeping).</summary>
    public int CachedPods => _index.PodCount;

    /// <summary>ReplicaSets in the informer cache (the Deployment lookup's source).</summary>
    public int CachedReplicaSets => _index.ReplicaSetCount;

    /// <summary>True once the pod list succeeded (upstream informer HasSynced).</summary>
    public bool PodsSynced => _podsSynced.Task.IsCompleted;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Config.Passthrough)
        {
            return; // upstream: passthrough builds no Kubernetes client at all.
        }

        var api = _api = _context.Container.ApiForPod();
        var node = Config.Node;
        if (string.IsNullOrEmpty(node) && Config.NodeFromEnvVar is { } variable)
        {
            node = _context.Container.Env(variable);
        }

        node = string.IsNullOrEmpty(node) ? null : node;
        _watches.Add(Task.Run(() => RunInformerAsync(api, "Pod", node, _stop.Token), CancellationToken.None));
        if (Config.Metadata.Any(m => m.StartsWith("k8s.deployment.", StringComparison.Ordinal)) && !Config.DeploymentNameFromReplicaSet)
        {
            _watches.Add(Task.Run(() => RunInformerAsync(api, "ReplicaSet", null, _stop.Token), CancellationToken.None));
        }

        if (Config.WaitForMetadata)
        {
            try
            {
                await _podsSynced.Task.WaitAsync(Config.WaitForMetadataTimeout, _context.Time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // upstream processor.go Start: "failed to wait for caches to sync"
                throw new CollectorStartException("failed to wait for caches to sync");
            }
        }
    }

    public async Task ShutdownAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_watches).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        Interlocked.Exchange(ref _api, null)?.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await ShutdownAsync(CancellationToken.None).ConfigureAwait(false);
        _stop.Dispose();
    }

    public ValueTask ConsumeAsync(IReadOnlyList<TraceSpan> spans, CancellationToken cancellationToken)
    {
        var connection = ConnectionIp();
        var enriched = ResourceRewrite.Spans(spans, r => Enrich(r, connection));
        return _context.NextTraces?.ConsumeAsync(enriched, cancellationToken) ?? ValueTask.CompletedTask;
    }

    public ValueTask ConsumeAsync(IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken)
    {
        var connection = ConnectionIp();
        var enriched = ResourceRewrite.Points(points, r => Enrich(r, connection));
        return _context.NextMetrics?.ConsumeAsync(enriched, cancellationToken) ?? ValueTask.CompletedTask;
    }

    // upstream pod_association.go getConnectionIP: client.FromContext(ctx).Addr — lost after batch.
    private static string? ConnectionIp()
    {
        var address = ClientInfo.Current?.Address;
        if (address is null)
        {
            return null;
        }

        return (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
    }

    private TelemetryResource Enrich(TelemetryResource resource, string? connection)
    {
        var identifier = PodIdentity.Extract(resource.Attributes, connection, Config.PodAssociation);
        var additions = new List<KeyValuePair<string, AttributeValue>>();

        // upstream processor.go processResource: a connection-sourced identifier sets k8s.pod.ip, also in passthrough.
        if (identifier.ConnectionIp is { } ip)
        {
            additions.Add(new("k8s.pod.ip", ip));
        }

        if (!Config.Passthrough && identifier.Key is { } key)
        {
            if (_index.Find(key) is { } entry)
            {
                additions.AddRange(_index.AttributesOf(entry));
                AddContainerAttributes(additions, entry.Pod, resource);
            }
            else
            {
                _lookupMiss.Add(1); // upstream client.go GetPod: OtelsvcK8sIPLookupMiss on every miss
            }
        }

        return additions.Count == 0 ? resource : ResourceRewrite.AddMissing(resource, additions);
    }

    // upstream processor.go addContainerAttributes: needs k8s.container.name on the resource to pick the container.
    private void AddContainerAttributes(List<KeyValuePair<string, AttributeValue>> additions, V1Pod pod, TelemetryResource resource)
    {
        if (!resource.Attributes.TryGetValue("k8s.container.name", out var name) || name.Str.Length == 0)
        {
            return;
        }

        var container = pod.Spec?.Containers?.FirstOrDefault(c => c.Name == name.Str);
        if (container?.Image is not { } image)
        {
            return;
        }

        var (imageName, tag) = SplitImage(image);
        if (Config.Metadata.Contains("container.image.name"))
        {
            additions.Add(new("container.image.name", imageName));
        }

        if (Config.Metadata.Contains("container.image.tag"))
        {
            additions.Add(new("container.image.tag", tag));
        }
    }

    // upstream internal/docker ParseImageName: name and tag; no tag means "latest".
    private static (string Name, string Tag) SplitImage(string image)
    {
        var at = image.IndexOf('@', StringComparison.Ordinal);
        var withoutDigest = at >= 0 ? image[..at] : image;
        var colon = withoutDigest.LastIndexOf(':');
        return colon > withoutDigest.LastIndexOf('/') ? (withoutDigest[..colon], withoutDigest[(colon + 1)..]) : (withoutDigest, "latest");
    }

    // client-go reflector: list then watch; on error log it and retry with backoff (800ms doubling to 30s).
    private async Task RunInformerAsync(IClusterReader api, string kind, string? node, CancellationToken cancellationToken)
    {
        var backoff = TimeSpan.FromMilliseconds(800);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var ns = Config.Namespace;
                foreach (var o in await api.ListAsync(kind, ns, cancellationToken: cancellationToken).ConfigureAwait(false))
                {
                    Apply(WatchEventType.Added, o, node);
                }

                if (kind == "Pod")
                {
                    _podsSynced.TrySetResult();
                }

                await foreach (var e in api.Watch(kind, ns, sendInitialEvents: true, cancellationToken).ConfigureAwait(false))
                {
                    Apply(e.Type, e.Object, node);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (ClusterApiException ex)
            {
                LogReflectorError(kind, ex.Message);
                try
                {
                    await Task.Delay(backoff, _context.Time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
    }

    private void Apply(WatchEventType type, object o, string? node)
    {
        switch (o)
        {
            case V1Pod pod when node is not null && pod.Spec?.NodeName != node:
                // filter.node_from_env_var: upstream watches with fieldSelector spec.nodeName=<node>.
                return;
            case V1Pod pod when type == WatchEventType.Deleted:
                _index.Remove(pod.Metadata.Uid ?? string.Empty);
                break;
            case V1Pod pod:
                _index.Upsert(pod);
                break;
            case V1ReplicaSet rs when type == WatchEventType.Deleted:
                _index.RemoveReplicaSet(rs);
                break;
            case V1ReplicaSet rs:
                _index.UpsertReplicaSet(rs);
                break;
        }
    }

    // The lines client-go's reflector writes through klog when a list is refused (W then E, as in a real pod's log).
    private void LogReflectorError(string kind, string message)
    {
        var now = _context.Time.GetUtcNow().UtcDateTime;
        var stamp = now.ToString("MMdd HH:mm:ss.ffffff", CultureInfo.InvariantCulture);
        var type = kind == "Pod" ? "*v1.Pod" : "*v1.ReplicaSet";
        const string Source = "k8s.io/client-go@v0.32.3/tools/cache/reflector.go:251";
        _context.Container.Log.Write($"W{stamp}       1 reflector.go:569] {Source}: failed to list {type}: {message}");
        _context.Container.Log.Write($"E{stamp}       1 reflector.go:166] \"Unhandled Error\" err=\"{Source}: Failed to watch {type}: failed to list {type}: {message.Replace("\"", "\\\"", StringComparison.Ordinal)}\" logger=\"UnhandledError\"");
    }
}
