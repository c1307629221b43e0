using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using OtelLab.Model.Crds;
using OtelLab.Sim.ApiServer.Internal;
using OtelLab.Sim.ApiServer.Internal.Informers;
using OtelLab.Sim.Cluster;

namespace OtelLab.Sim.Operator.Internal;

/// <summary>
/// The reconciler's reads and writes as controller-runtime's manager makes them: reads from informer caches (one
/// cluster-wide informer per kind: the collectors and the kinds the operator owns), writes through the API server
/// with KubernetesClient and the operator's ServiceAccount token, so the API server authenticates, admits and
/// authorises every write (a missing permission is its 403).
/// upstream: controller-runtime pkg/client (the manager's client: cache reads, direct writes), pkg/cache.
/// </summary>
internal sealed class WireOperatorClient : IOperatorClient, IDisposable
{
    /// <summary>The kinds the collector reconciler owns (upstream v0.113 opentelemetrycollector_controller.go SetupWithManager Owns(...), as far as the lab renders them).</summary>
    public static readonly string[] OwnedKinds = ["ConfigMap", "ServiceAccount", "Service", "Deployment", "DaemonSet", "StatefulSet"];

    private readonly Kubernetes _client;
    private readonly Func<ResourceKind, bool> _serves;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, Informer> _informers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonObject> _statusWritten = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Uid, string Reason, string Message), (string Name, int Count)> _events = [];
    private readonly Lock _gate = new();

    public WireOperatorClient(ApiServer.ApiServerEndpoint server, string token, Func<ResourceKind, bool> serves, TimeProvider time)
    {
        _client = new Kubernetes(server.ClientConfiguration(token));
        _serves = serves;
        _time = time;
        List<string> kinds = ["OpenTelemetryCollector", .. OwnedKinds];
        if (serves(ResourceKind.Of("TargetAllocator")))
        {
            kinds.Add("TargetAllocator");
        }

        foreach (var kind in kinds)
        {
            _informers[kind] = new Informer(_client, ResourceKind.Of(kind), null, null, time);
        }
    }

    public IReadOnlyCollection<Informer> Informers => _informers.Values;

    public bool Serves(ResourceKind kind) => _serves(kind);

    public object? Get(ResourceKind kind, string ns, string name) => _informers.GetValueOrDefault(kind.Kind)?.Find(ns, name)?.Value;

    public V1ObjectMeta? MetadataOf(ResourceKind kind, string ns, string name) => _informers.GetValueOrDefault(kind.Kind)?.Find(ns, name)?.Metadata;

    public IReadOnlyList<(ResourceKind Kind, V1ObjectMeta Metadata)> OwnedBy(string ownerUid, string ns) =>
        [.. _informers.Values
            .Where(i => i.Kind.Kind != "OpenTelemetryCollector")
            .SelectMany(i => i.Items(null).Select(o => (i.Kind, o.Metadata)))
            .Where(o => o.Metadata.NamespaceProperty == ns && o.Metadata.OwnerReferences?.Any(r => r.Uid == ownerUid && r.Controller == true) == true)];

    public async ValueTask CreateAsync(ResourceKind kind, object value, V1ObjectMeta? metadata, CancellationToken cancellationToken)
    {
        var ns = (metadata ?? MetadataOfModel(value)).NamespaceProperty;
        switch (value)
        {
            case V1ConfigMap o:
                await _client.CoreV1.CreateNamespacedConfigMapAsync(o, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
                break;
            case V1ServiceAccount o:
                await _client.CoreV1.CreateNamespacedServiceAccountAsync(o, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
                break;
            case V1Service o:
                await _client.CoreV1.CreateNamespacedServiceAsync(o, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
                break;
            case V1Deployment o:
                await _client.AppsV1.CreateNamespacedDeploymentAsync(o, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
                break;
            case V1DaemonSet o:
                await _client.AppsV1.CreateNamespacedDaemonSetAsync(o, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
                break;
            case V1StatefulSet o:
                await _client.AppsV1.CreateNamespacedStatefulSetAsync(o, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
                break;
            default:
                await _client.CustomObjects.CreateNamespacedCustomObjectAsync(CustomBody(kind, value, metadata), kind.Group, kind.Version, ns, kind.Resource, cancellationToken: cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    public async ValueTask UpdateAsync(ResourceKind kind, object value, V1ObjectMeta? metadata, CancellationToken cancellationToken)
    {
        var meta = metadata ?? MetadataOfModel(value);
        var (ns, name) = (meta.NamespaceProperty, meta.Name);

        // controller-runtime's controllerutil.CreateOrUpdate updates the object it read from the cache: its
        // resourceVersion makes a write over a stale cache the API server's 409 Conflict, and the key is requeued.
        meta.ResourceVersion ??= MetadataOf(kind, ns, name)?.ResourceVersion;
        switch (value)
        {
            case V1ConfigMap o:
                await _client.CoreV1.ReplaceNamespacedConfigMapAsync(o, name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
                break;
            case V1ServiceAccount o:
                await _client.CoreV1.ReplaceNamespacedServiceAccountAsync(o, name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
                break;
            case V1Service o:
                await _client.CoreV1.ReplaceNamespacedServiceAsync(o, name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
                break;
            case V1Deployment o:
                await _client.AppsV1.ReplaceNamespacedDeploymentAsync(o, name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
                break;
            case V1DaemonSet o:
                await _client.AppsV1.ReplaceNamespacedDaemonSetAsync(o, name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
                break;
            case V1StatefulSet o:
                await _client.AppsV1.ReplaceNamespacedStatefulSetAsync(o, name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
                break;
            default:
                await _client.CustomObjects.ReplaceNamespacedCustomObjectAsync(CustomBody(kind, value, metadata), kind.Group, kind.Version, ns, kind.Resource, name, cancellationToken: cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    public async ValueTask DeleteAsync(ResourceKind kind, string ns, string name, CancellationToken cancellationToken)
    {
        // controller-runtime's client.Delete sends no propagation policy: the kind's default applies (background).
        var options = new V1DeleteOptions { PropagationPolicy = "Background" };
        switch (kind.Kind)
        {
            case "ConfigMap":
                await _client.CoreV1.DeleteNamespacedConfigMapAsync(name, ns, options, cancellationToken: cancellationToken).ConfigureAwait(false);
                break;
            case "ServiceAccount":
                await _client.CoreV1.DeleteNamespacedServiceAccountAsync(name, ns, options, cancellationToken: cancellationToken).ConfigureAwait(false);
                break;
            case "Service":
                await _client.CoreV1.DeleteNamespacedServiceAsync(name, ns, options, cancellationToken: cancellationToken).ConfigureAwait(false);
                break;
            case "Deployment":
                await _client.AppsV1.DeleteNamespacedDeploymentAsync(name, ns, options, cancellationToken: cancellationToken).ConfigureAwait(false);
                break;
            case "DaemonSet":
                await _client.AppsV1.DeleteNamespacedDaemonSetAsync(name, ns, options, cancellationToken: cancellationToken).ConfigureAwait(false);
                break;
            case "StatefulSet":
                await _client.AppsV1.DeleteNamespacedStatefulSetAsync(name, ns, options, cancellationToken: cancellationToken).ConfigureAwait(false);
                break;
            default:
                await _client.CustomObjects.DeleteNamespacedCustomObjectAsync(kind.Group, kind.Version, ns, kind.Resource, name, options, cancellationToken: cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>
    /// Patches the collector's <c>/status</c> when the status computed differs from the last one this client wrote
    /// (the cache holds the spec model only; the operator is the status' one writer).
    /// </summary>
    public async ValueTask UpdateStatusAsync(OpenTelemetryCollector collector, V1ObjectMeta metadata, CancellationToken cancellationToken)
    {
        JsonObject? written;
        lock (_gate)
        {
            written = _statusWritten.GetValueOrDefault(metadata.Uid);
        }

        if (CollectorStatus.Next(written, collector, metadata, Get) is not { } next)
        {
            return;
        }

        var kind = ResourceKind.Of("OpenTelemetryCollector");
        var patch = new JsonObject { ["status"] = next.DeepClone() };
        await _client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), kind.Group, kind.Version, metadata.NamespaceProperty, kind.Resource, metadata.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            _statusWritten[metadata.Uid] = next;
        }
    }

    /// <summary>Creates a core/v1 Event, or patches its count on a repeat (client-go tools/record events_cache.go EventCorrelator).</summary>
    public async ValueTask WarningAsync(ResourceKind kind, string ns, string name, string reason, string message, CancellationToken cancellationToken)
    {
        var about = MetadataOf(kind, ns, name);
        if (about is null)
        {
            return;
        }

        var now = _time.GetUtcNow().UtcDateTime;
        (string Name, int Count) seen;
        lock (_gate)
        {
            seen = _events.GetValueOrDefault((about.Uid, reason, message));
        }

        if (seen.Name is { } existing)
        {
            var patch = new JsonObject { ["count"] = seen.Count + 1, ["lastTimestamp"] = now.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) };
            await _client.CoreV1.PatchNamespacedEventAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), existing, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
            lock (_gate)
            {
                _events[(about.Uid, reason, message)] = (existing, seen.Count + 1);
            }

            return;
        }

        // record/event.go makeEvent: name = involved object name + "." + a unique hex suffix.
        var eventName = $"{name}.{Random.Shared.NextInt64():x16}";
        var e = new Corev1Event
        {
            Metadata = new V1ObjectMeta { Name = eventName, NamespaceProperty = ns },
            InvolvedObject = new V1ObjectReference { Kind = kind.Kind, ApiVersion = kind.ApiVersion, Name = name, NamespaceProperty = ns, Uid = about.Uid, ResourceVersion = about.ResourceVersion },
            Type = "Warning",
            Reason = reason,
            Message = message,
            Count = 1,
            FirstTimestamp = now,
            LastTimestamp = now,
            Source = new V1EventSource { Component = "opentelemetry-operator" },
            ReportingComponent = "opentelemetry-operator",
        };
        await _client.CoreV1.CreateNamespacedEventAsync(e, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            _events[(about.Uid, reason, message)] = (eventName, 1);
        }
    }

    public void Dispose()
    {
        foreach (var informer in _informers.Values)
        {
            informer.Dispose();
        }

        _client.Dispose();
    }

    private static V1ObjectMeta MetadataOfModel(object value) =>
        (value as IMetadata<V1ObjectMeta>)?.Metadata ?? throw new InvalidOperationException($"a {value.GetType().Name} without metadata cannot be written");

    private static JsonObject CustomBody(ResourceKind kind, object value, V1ObjectMeta? metadata) =>
        CustomResourceJson.Render(kind, metadata ?? MetadataOfModel(value), value, null);
}
