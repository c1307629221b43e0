using System.Globalization;
using System.Net;
using k8s.Models;
using OtelLab.Model.Crds;
using OtelLab.Sim.Cluster.Internal;
using OtelLab.Sim.Cluster.Internal.Controllers;
using OtelLab.Sim.Networking;

namespace OtelLab.Sim.Cluster;

/// <summary>
/// The simulated Kubernetes API server and its built-in controllers: it stores KubernetesClient model objects
/// (and the lab's CR models), runs admission (ServiceAccount lookup, registered webhooks), and after every change
/// runs the controllers (scheduler, Deployment → ReplicaSet → Pod, StatefulSet, DaemonSet, endpoints, registered
/// controllers such as the operator) until nothing changes, then publishes the changes to watchers.
/// </summary>
/// <remarks>
/// Objects handed out are snapshots shared with the store: never mutate them; update a copy through
/// <see cref="Update{T}"/>. All calls are serialised by one reentrant lock, so controllers see a consistent state.
/// </remarks>
public sealed partial class SimulatedCluster
{
    private readonly Lock _gate = new();
    private readonly ObjectStore _store = new();
    private readonly List<WatchEvent> _pending = [];
    private readonly List<IClusterController> _controllers = [];
    private readonly List<IAdmissionWebhook> _webhooks = [];
    private readonly List<string> _controllerErrors = [];
    private readonly EventRecorder _recorder;
    private bool _draining;

    public SimulatedCluster(ClusterOptions? options = null)
    {
        Options = options ?? new ClusterOptions();
        Random = new Random(Options.Seed);
        _recorder = new EventRecorder(this);
        _controllers.AddRange(
        [
            new NamespaceController(),
            new Scheduler(),
            new DeploymentController(),
            new ReplicaSetController(),
            new StatefulSetController(),
            new DaemonSetController(),
            new EndpointsController(),
        ]);

        lock (_gate)
        {
            foreach (var ns in new[] { "default", "kube-system", "kube-public", "kube-node-lease" })
            {
                Create(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
            }

            for (var i = 1; i <= Options.Nodes; i++)
            {
                AddNode(i);
            }

            foreach (var crd in Options.CustomResourceDefinitions)
            {
                // The definitions are shared, read-only data: the store gets its own metadata and the spec by
                // reference (no deep copy of half a megabyte of schema per cluster).
                var stored = new V1CustomResourceDefinition
                {
                    Metadata = new V1ObjectMeta { Name = crd.Metadata.Name, Labels = crd.Metadata.Labels, Annotations = crd.Metadata.Annotations },
                    Spec = crd.Spec,
                };
                CreateLocked(ResourceKind.Of(typeof(V1CustomResourceDefinition)), stored, null, handOver: true);
            }

            Drain();
        }
    }

    public ClusterOptions Options { get; }

    public TimeProvider Time => Options.Time;

    public LoopbackAddressPlan Addresses => Options.Addresses;

    /// <summary>Errors thrown by controllers (a controller bug must not stop the cluster; tests assert this stays empty).</summary>
    public IReadOnlyList<string> ControllerErrors
    {
        get
        {
            lock (_gate)
            {
                return [.. _controllerErrors];
            }
        }
    }

    internal Random Random { get; }

    internal ObjectStore Store => _store;

    internal EventRecorder Recorder => _recorder;

    public IReadOnlyList<V1Node> Nodes => List<V1Node>();

    public void AddController(IClusterController controller)
    {
        ArgumentNullException.ThrowIfNull(controller);
        lock (_gate)
        {
            _controllers.Add(controller);
        }
    }

    public void AddAdmissionWebhook(IAdmissionWebhook webhook)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        lock (_gate)
        {
            _webhooks.Add(webhook);
        }
    }

    /// <summary>The address of a node by name, or null.</summary>
    public IPAddress? NodeAddress(string nodeName)
    {
        var node = Get<V1Node>(null, nodeName);
        var ip = node?.Status?.Addresses?.FirstOrDefault(a => a.Type == "InternalIP")?.Address;
        return ip is null ? null : IPAddress.Parse(ip);
    }

    public T Create<T>(T value)
        where T : class => (T)Create(ResourceKind.Of(value.GetType()), value);

    /// <summary>Creates an object; CR models take their metadata from <paramref name="metadata"/> (or their own name/namespace).</summary>
    public object Create(ResourceKind kind, object value, V1ObjectMeta? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(value);
        lock (_gate)
        {
            var created = CreateLocked(kind, value, metadata);
            Drain();
            return created.Value;
        }
    }

    public T Update<T>(T value)
        where T : class => (T)Update(ResourceKind.Of(value.GetType()), value);

    /// <summary>Replaces an object (spec and status); admission webhooks see the stored object as the old one.</summary>
    public object Update(ResourceKind kind, object value, V1ObjectMeta? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(value);
        lock (_gate)
        {
            var updated = UpdateLocked(kind, value, metadata, admit: true);
            Drain();
            return updated.Value;
        }
    }

    /// <summary>Writes an object's status (no admission), as the <c>/status</c> subresource does.</summary>
    public T UpdateStatus<T>(T value)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (_gate)
        {
            var updated = UpdateLocked(ResourceKind.Of(value.GetType()), value, null, admit: false);
            Drain();
            return (T)updated.Value;
        }
    }

    /// <summary>Writes several objects' status in one call (one batch for the controllers); objects gone meanwhile are skipped.</summary>
    public void UpdateStatuses(IEnumerable<object> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        lock (_gate)
        {
            foreach (var value in values)
            {
                var kind = ResourceKind.Of(value.GetType());
                var meta = ObjectModel.MetadataOf(value);
                if (meta is not null && _store.Get(kind, meta.NamespaceProperty, meta.Name)?.Metadata.Uid == meta.Uid)
                {
                    UpdateLocked(kind, value, null, admit: false, handOver: true);
                }
            }

            Drain();
        }
    }

    /// <summary>Deletes an object and, like the garbage collector with background propagation, its dependents.</summary>
    public bool Delete(string kind, string? ns, string name) => Delete(kind, ns, name, PropagationPolicy.Background);

    public T? Get<T>(string? ns, string name)
        where T : class => Get(ResourceKind.Of(typeof(T)), ns, name) as T;

    public object? Get(ResourceKind kind, string? ns, string name)
    {
        ArgumentNullException.ThrowIfNull(kind);
        lock (_gate)
        {
            return _store.Get(kind, kind.Namespaced ? ns ?? "default" : null, name)?.Value;
        }
    }

    /// <summary>The metadata of any object (CRs included): labels, uid, owner references.</summary>
    public V1ObjectMeta? MetadataOf(string kind, string? ns, string name)
    {
        var k = ResourceKind.Of(kind);
        lock (_gate)
        {
            return _store.Get(k, k.Namespaced ? ns ?? "default" : null, name)?.Metadata;
        }
    }

    public IReadOnlyList<T> List<T>(string? ns = null, LabelSelector? selector = null)
        where T : class => List(ResourceKind.Of(typeof(T)), ns, selector).Cast<T>().ToList();

    /// <summary>Objects of a kind (all namespaces when <paramref name="ns"/> is null), sorted by namespace and name like kubectl.</summary>
    public IReadOnlyList<object> List(ResourceKind kind, string? ns = null, LabelSelector? selector = null)
    {
        ArgumentNullException.ThrowIfNull(kind);
        lock (_gate)
        {
            return _store.ListSorted(kind, ns)
                .Where(o => selector is null || selector.Matches(o.Metadata.Labels))
                .Select(o => o.Value)
                .ToList();
        }
    }

    /// <summary>
    /// How many objects of a kind match <paramref name="predicate"/>, without sorting or copying the list: conditions
    /// re-checked on every cluster change (all pods Ready?) must not cost a sort of 9,000 pods each time.
    /// </summary>
    public int Count<T>(Func<T, bool> predicate)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var kind = ResourceKind.Of(typeof(T));
        lock (_gate)
        {
            return _store.List(kind).Count(o => predicate((T)o.Value));
        }
    }

    /// <summary>The events recorded about an object, oldest first (<c>kubectl describe</c>'s Events section).</summary>
    public IReadOnlyList<Corev1Event> EventsFor(string kind, string? ns, string name) =>
        List<Corev1Event>(ns)
            .Where(e => e.InvolvedObject.Kind == kind && e.InvolvedObject.Name == name)
            .OrderBy(e => e.FirstTimestamp)
            .ToList();

    /// <summary>Sets <c>spec.replicas</c> of a Deployment, ReplicaSet or StatefulSet (<c>kubectl scale</c>).</summary>
    public void Scale(string kind, string ns, string name, int replicas)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(replicas);
        lock (_gate)
        {
            var k = ResourceKind.Of(kind);
            var current = _store.Get(k, ns, name)?.Value ?? throw ClusterApiException.NotFound(k, name);
            var copy = ObjectModel.Clone(current);
            switch (copy)
            {
                case V1Deployment d:
                    d.Spec.Replicas = replicas;
                    break;
                case V1ReplicaSet r:
                    r.Spec.Replicas = replicas;
                    break;
                case V1StatefulSet s:
                    s.Spec.Replicas = replicas;
                    break;
                default:
                    throw new ArgumentException($"{kind} cannot be scaled", nameof(kind));
            }

            UpdateLocked(k, copy, null, admit: true);
            Drain();
        }
    }

    /// <param name="handOver">The caller gives up <paramref name="value"/> (a fresh or already copied object): no defensive copy.</param>
    internal StoredObject CreateLocked(ResourceKind kind, object value, V1ObjectMeta? metadata, bool handOver = false)
    {
        if (!Options.Installs(kind))
        {
            throw new ClusterApiException(404, "NotFound", $"the server could not find the requested resource (post {kind.QualifiedResource})");
        }

        var copy = handOver ? value : ObjectModel.Clone(value);
        var meta = MetaFor(kind, copy, metadata);
        if (kind.Namespaced)
        {
            meta.NamespaceProperty ??= "default";
            var owningNamespace = _store.Get(ResourceKind.Of("Namespace"), null, meta.NamespaceProperty)
                ?? throw new ClusterApiException(404, "NotFound", $"namespaces \"{meta.NamespaceProperty}\" not found");
            if (owningNamespace.Metadata.DeletionTimestamp is not null)
            {
                // upstream: plugin/pkg/admission/namespace/lifecycle — no new content in a Terminating namespace.
                throw ClusterApiException.Forbidden($"{kind.QualifiedResource} \"{meta.Name ?? meta.GenerateName}\" is forbidden: unable to create new content in namespace {meta.NamespaceProperty} because it is being terminated");
            }
        }
        else
        {
            meta.NamespaceProperty = null;
        }

        if (string.IsNullOrEmpty(meta.Name) && string.IsNullOrEmpty(meta.GenerateName))
        {
            throw ClusterApiException.Invalid($"{kind.Kind} \"\" is invalid: metadata.name: Required value: name or generateName is required");
        }

        if (!string.IsNullOrEmpty(meta.Name) && _store.Get(kind, meta.NamespaceProperty, meta.Name) is not null)
        {
            throw ClusterApiException.AlreadyExists(kind, meta.Name);
        }

        copy = Admit(AdmissionOperation.Create, kind, meta, copy, null);
        meta = MetaFor(kind, copy, meta);
        if (string.IsNullOrEmpty(meta.Name))
        {
            // upstream: names.SimpleNameGenerator — generateName + 5 random characters.
            do
            {
                meta.Name = meta.GenerateName + NameGenerator.RandomSuffix(Random, 5);
            }
            while (_store.Get(kind, meta.NamespaceProperty, meta.Name) is not null);
        }

        meta.Uid = NameGenerator.Uid(Random);
        meta.CreationTimestamp = Time.GetUtcNow().UtcDateTime;
        meta.ResourceVersion = _store.NextResourceVersion();
        meta.Generation = 1;
        ObjectModel.Stamp(copy, kind);
        OnCreate(copy);
        var stored = new StoredObject { Kind = kind, Metadata = meta, Value = copy };
        _store.Put(stored);
        _pending.Add(new WatchEvent(WatchEventType.Added, kind, meta.NamespaceProperty, meta.Name, copy));
        return stored;
    }

    internal StoredObject UpdateLocked(ResourceKind kind, object value, V1ObjectMeta? metadata, bool admit, bool handOver = false)
    {
        var copy = handOver ? value : ObjectModel.Clone(value);
        var meta = MetaFor(kind, copy, metadata);
        var ns = kind.Namespaced ? meta.NamespaceProperty ?? "default" : null;
        var existing = _store.Get(kind, ns, meta.Name) ?? throw ClusterApiException.NotFound(kind, meta.Name);
        if (admit)
        {
            copy = Admit(AdmissionOperation.Update, kind, meta, copy, existing.Value);
            meta = MetaFor(kind, copy, meta);
        }

        meta.NamespaceProperty = ns;
        meta.Uid = existing.Metadata.Uid;
        meta.CreationTimestamp = existing.Metadata.CreationTimestamp;
        meta.Generation = admit && ObjectModel.SpecChanged(copy, existing.Value) ? (existing.Metadata.Generation ?? 1) + 1 : existing.Metadata.Generation;
        meta.ResourceVersion = _store.NextResourceVersion();

        // upstream: registry/rest/update.go — a deletionTimestamp, once set, cannot be changed or removed by an update.
        meta.DeletionTimestamp = existing.Metadata.DeletionTimestamp ?? meta.DeletionTimestamp;
        ObjectModel.Stamp(copy, kind);
        OnUpdate(copy, existing.Value);
        var stored = new StoredObject { Kind = kind, Metadata = meta, Value = copy };
        _store.Put(stored);
        _pending.Add(new WatchEvent(WatchEventType.Modified, kind, ns, meta.Name, copy, existing.Value));
        if (existing.Metadata.DeletionTimestamp is not null && meta.Finalizers is not { Count: > 0 } && existing.Value is not V1Namespace)
        {
            // upstream: registry/generic/registry/store.go Update (shouldDeleteDuringUpdate) — the update that removes
            // the last finalizer of an object being deleted deletes it.
            FinishDelete(kind, ns, meta.Name);
        }

        return stored;
    }

    internal bool DeleteLocked(ResourceKind kind, string? ns, string name) => DeleteLocked(kind, ns, name, PropagationPolicy.Background);

    /// <summary>Removes an object from the store (the last step of every delete) and publishes the DELETED event.</summary>
    private StoredObject? RemoveLocked(ResourceKind kind, string? ns, string name)
    {
        var removed = _store.Remove(kind, ns, name);
        if (removed is null)
        {
            return null;
        }

        OnDelete(removed);

        // upstream: a delete is a write and takes a resourceVersion of its own (apiserver storage/etcd3 store.go
        // Delete), so a watch started from a list taken before the delete still sees it.
        _store.NextResourceVersion();
        _pending.Add(new WatchEvent(WatchEventType.Deleted, kind, ns, name, removed.Value));
        return removed;
    }

    /// <summary>Records an event about an object (kubelet and other node-side components).</summary>
    internal void RecordEvent(string kind, string? ns, string name, string type, string reason, string message, string component)
    {
        lock (_gate)
        {
            var k = ResourceKind.Of(kind);
            if (_store.Get(k, k.Namespaced ? ns : null, name) is { } about)
            {
                _recorder.Record(about, type, reason, message, component);
                Drain();
            }
        }
    }

    /// <summary>Stores an event object directly (events skip admission and controllers).</summary>
    internal void PutEvent(Corev1Event e, bool isNew)
    {
        var kind = ResourceKind.Of("Event");
        e.Metadata.ResourceVersion = _store.NextResourceVersion();
        ObjectModel.Stamp(e, kind);
        var previous = _store.Put(new StoredObject { Kind = kind, Metadata = e.Metadata, Value = e });
        _pending.Add(new WatchEvent(isNew ? WatchEventType.Added : WatchEventType.Modified, kind, e.Metadata.NamespaceProperty, e.Metadata.Name, e, previous?.Value));
    }

    private void AddNode(int ordinal)
    {
        var name = Options.NodeNamePrefix + ordinal.ToString(CultureInfo.InvariantCulture);
        Create(new V1Node
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                Labels = new Dictionary<string, string>
                {
                    ["kubernetes.io/hostname"] = name,
                    ["kubernetes.io/os"] = "linux",
                    ["kubernetes.io/arch"] = "amd64",
                },
            },
            Status = new V1NodeStatus
            {
                Addresses =
                [
                    new V1NodeAddress { Type = "InternalIP", Address = Options.Addresses.NodeAddress(ordinal).ToString() },
                    new V1NodeAddress { Type = "Hostname", Address = name },
                ],
                Conditions = [new V1NodeCondition { Type = "Ready", Status = "True", Reason = "KubeletReady" }],
            },
        });
    }

    private object Admit(AdmissionOperation operation, ResourceKind kind, V1ObjectMeta meta, object value, object? old)
    {
        var current = value;
        foreach (var webhook in _webhooks.Where(w => w.Mutating).Concat(_webhooks.Where(w => !w.Mutating)))
        {
            if (!webhook.Handles(kind, operation))
            {
                continue;
            }

            var response = webhook.Review(new AdmissionRequest(operation, kind, meta.NamespaceProperty, meta.Name ?? meta.GenerateName ?? string.Empty, current, old, this));
            if (!response.Allowed)
            {
                throw ClusterApiException.Forbidden($"admission webhook \"{response.WebhookName ?? webhook.Name}\" denied the request: {response.Message}");
            }

            if (response.Patched is not null)
            {
                current = ObjectModel.Clone(response.Patched);
            }

            if (!_draining)
            {
                foreach (var w in response.Warnings)
                {
                    _lastWarnings.Add(w);
                }
            }
        }

        if (operation == AdmissionOperation.Create && current is V1Pod pod)
        {
            ServiceAccountAdmission.Admit(this, pod, meta);
        }

        return current;
    }

    private void OnCreate(object value)
    {
        if (value is V1Service svc)
        {
            svc.Spec ??= new V1ServiceSpec();
            if (string.IsNullOrEmpty(svc.Spec.ClusterIP) && svc.Spec.Type != "ExternalName")
            {
                var vip = Addresses.AllocateService().ToString();
                svc.Spec.ClusterIP = vip;
                svc.Spec.ClusterIPs = [vip];
            }

            svc.Spec.Type ??= "ClusterIP";
            svc.Spec.InternalTrafficPolicy ??= "Cluster";
        }
        else if (value is V1Pod pod)
        {
            pod.Status ??= new V1PodStatus();
            pod.Status.Phase ??= "Pending";
        }
        else if (value is V1Namespace ns)
        {
            // upstream: pkg/registry/core/namespace/strategy.go PrepareForCreate — the "kubernetes" finalizer, phase Active.
            ns.Spec ??= new V1NamespaceSpec();
            ns.Spec.Finalizers ??= ["kubernetes"];
            ns.Status ??= new V1NamespaceStatus();
            ns.Status.Phase ??= "Active";
        }
    }

    private static void OnUpdate(object value, object previous)
    {
        if (value is V1Service svc && previous is V1Service old)
        {
            // spec.clusterIP is immutable once allocated.
            svc.Spec.ClusterIP = old.Spec.ClusterIP;
            svc.Spec.ClusterIPs = old.Spec.ClusterIPs;
            svc.Spec.Type ??= old.Spec.Type;
            svc.Spec.InternalTrafficPolicy ??= old.Spec.InternalTrafficPolicy;
        }
    }

    private void OnDelete(StoredObject removed)
    {
        if (removed.Value is V1Pod { Status.PodIP: { } ip } pod && pod.Spec?.HostNetwork != true)
        {
            Addresses.Release(IPAddress.Parse(ip));
        }
        else if (removed.Value is V1Service { Spec.ClusterIP: { } vip } && IPAddress.TryParse(vip, out var addr))
        {
            Addresses.Release(addr);
        }
    }

    private static V1ObjectMeta MetaFor(ResourceKind kind, object value, V1ObjectMeta? metadata)
    {
        if (value is IMetadata<V1ObjectMeta> m)
        {
            m.Metadata ??= metadata is null ? new V1ObjectMeta() : ObjectModel.CloneMeta(metadata);
            return m.Metadata;
        }

        // CR models: metadata comes separately, or from the model's own identity.
        var meta = metadata is null ? new V1ObjectMeta() : ObjectModel.CloneMeta(metadata);
        var (name, ns) = value switch
        {
            OpenTelemetryCollector c => (c.Name, c.Namespace),
            Instrumentation i => (i.Name, i.Namespace),
            PrometheusMonitor p => (p.Name, p.Namespace),
            ArgoApplication a => (a.Name, a.Namespace),
            _ => (null, null),
        };
        meta.Name ??= name;
        meta.NamespaceProperty ??= kind.Namespaced ? ns : null;
        return meta;
    }
}
