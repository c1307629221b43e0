using k8s;
using k8s.Models;
using OtelLab.Model.Crds;
using OtelLab.Sim.Cluster;
using OtelLab.Sim.Operator.Internal;

namespace OtelLab.Sim.Operator;

/// <summary>
/// The OpenTelemetry Operator's collector reconciler: every OpenTelemetryCollector is turned into exactly the objects
/// upstream creates (<see cref="CollectorManifests"/>, <see cref="TargetAllocatorManifests"/>), owned by the CR (the
/// TA's objects by the TargetAllocator CR the operator creates, named like the collector). Objects drifting from
/// the desired state, or deleted, are put back; objects no longer desired are removed, except the newest
/// <see cref="OperatorOptions.ConfigVersions"/> collector ConfigMaps. A render error is recorded as a Warning event
/// on the CR.
/// upstream: internal/controllers/opentelemetrycollector_controller.go, internal/manifests/collector/collector.go.
/// </summary>
public sealed class OpenTelemetryOperator : IClusterController
{
    private readonly OperatorOptions _options;

    private OpenTelemetryOperator(OperatorOptions options)
    {
        _options = options;
    }

    public string Name => "opentelemetry-operator";

    /// <summary>Installs the operator (reconciler and webhook) into a cluster, as the Helm chart would.</summary>
    public static OpenTelemetryOperator Install(SimulatedCluster cluster, OperatorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var op = new OpenTelemetryOperator(options ?? new OperatorOptions());
        AddWebhooks(cluster);
        cluster.AddController(op);
        var store = new StoreOperatorClient(cluster);
        foreach (var c in cluster.List<OpenTelemetryCollector>())
        {
            op.SyncInStore(store, c.Namespace, c.Name);
        }

        return op;
    }

    /// <summary>
    /// Runs the operator as an API client (the fidelity mode): a controller-runtime style manager whose informers
    /// list and watch through the API server at <paramref name="apiServer"/> with <paramref name="token"/> (the
    /// operator's ServiceAccount, so the API server's RBAC applies), and whose reconciles read its caches and write
    /// through the API. The admission webhooks stay in the API server's admission chain: they are webhooks, which a
    /// real API server calls during admission, not something the operator's manager runs on its own.
    /// </summary>
    /// <param name="token">The bearer token; never logged.</param>
    /// <param name="log">Receives the manager's log lines (a refusal with the API server's message, say).</param>
    public static OperatorManager RunOverWire(SimulatedCluster cluster, ApiServer.ApiServerEndpoint apiServer, string token, OperatorOptions? options = null, TimeProvider? time = null, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(apiServer);
        ArgumentException.ThrowIfNullOrEmpty(token);
        AddWebhooks(cluster);
        var op = new OpenTelemetryOperator(options ?? new OperatorOptions());
        var client = new WireOperatorClient(apiServer, token, cluster.Options.Installs, time ?? cluster.Time);
        return OperatorManager.Start(op, client, time ?? cluster.Time, log);
    }

    public void Reconcile(SimulatedCluster cluster, IReadOnlyList<WatchEvent> changes)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(changes);
        var keys = new SortedSet<(string, string)>();
        foreach (var e in changes)
        {
            if (e.Kind.Kind != "OpenTelemetryCollector" || e.Type != OtelLab.Sim.Cluster.WatchEventType.Deleted)
            {
                keys.UnionWith(OwnerKeys(e));
            }
        }

        var store = new StoreOperatorClient(cluster);
        foreach (var (ns, name) in keys)
        {
            SyncInStore(store, ns, name);
        }
    }

    /// <summary>
    /// The reconcile keys a change maps to: the collector itself, or the controller owner of an object the operator
    /// owns, before and after the change (controller-runtime's <c>Owns()</c>: handler.EnqueueRequestForOwner with
    /// OnlyControllerOwner, which enqueues the owners of the old and the new object).
    /// </summary>
    internal static IEnumerable<(string Namespace, string Name)> OwnerKeys(WatchEvent e)
    {
        if (e.Namespace is null)
        {
            yield break;
        }

        if (e.Kind.Kind == "OpenTelemetryCollector")
        {
            yield return (e.Namespace, e.Name);
            yield break;
        }

        foreach (var o in new[] { e.Object, e.Previous })
        {
            var owner = (o as IMetadata<V1ObjectMeta>)?.Metadata?.OwnerReferences?.FirstOrDefault(r => r.Controller == true);
            if (owner is { Kind: "OpenTelemetryCollector" or "TargetAllocator" })
            {
                // The TargetAllocator CR is named like its collector.
                yield return (e.Namespace, owner.Name);
            }
        }
    }

    private static void AddWebhooks(SimulatedCluster cluster)
    {
        cluster.AddAdmissionWebhook(new CollectorAdmissionWebhook());
        cluster.AddAdmissionWebhook(new Instrumentation.InstrumentationAdmissionWebhook());
    }

    // In the store's write path every call of the store client completes synchronously: nothing is awaited.
    private void SyncInStore(StoreOperatorClient store, string ns, string name)
    {
        var sync = SyncAsync(store, ns, name, CancellationToken.None);
        if (!sync.IsCompleted)
        {
            throw new InvalidOperationException("the in-process reconcile awaited: the store client must complete synchronously");
        }

        sync.GetAwaiter().GetResult();
    }

    /// <summary>One reconcile of the collector <paramref name="ns"/>/<paramref name="name"/> (nothing when it is gone: garbage collection removes what it owned).</summary>
    internal async Task SyncAsync(IOperatorClient client, string ns, string name, CancellationToken cancellationToken)
    {
        var collectorKind = ResourceKind.Of("OpenTelemetryCollector");
        if (client.Get(collectorKind, ns, name) is not OpenTelemetryCollector collector || client.MetadataOf(collectorKind, ns, name) is not { } meta)
        {
            return;
        }

        var owner = new V1OwnerReference { ApiVersion = collector.ApiVersion, Kind = collectorKind.Kind, Name = name, Uid = meta.Uid, Controller = true, BlockOwnerDeletion = true };
        var desired = new HashSet<(string Kind, string Name)>();
        CollectorRender render;
        try
        {
            render = CollectorManifests.Render(collector, meta, _options);
        }
        catch (InvalidOperationException e)
        {
            await client.WarningAsync(collectorKind, ns, name, "Error", e.Message, cancellationToken).ConfigureAwait(false);
            return;
        }

        foreach (var o in render.Objects)
        {
            desired.Add(await UpsertAsync(client, o, owner, cancellationToken).ConfigureAwait(false));
        }

        var taKind = ResourceKind.Of("TargetAllocator");
        if (collector.TargetAllocator.Enabled && !client.Serves(taKind))
        {
            // upstream v0.113 controllers/opentelemetrycollector_controller.go: without the operator.collector.targetallocatorcr
            // feature gate (off by default; its CRD is not in the operator chart 0.74.2) the collector's own manifests
            // carry the Target Allocator's Deployment, Service and ConfigMap, owned by the collector.
            List<object>? objects = null;
            try
            {
                objects = [.. TargetAllocatorManifests.Build(collector, meta, _options, render.Config)];
            }
            catch (InvalidOperationException e)
            {
                await client.WarningAsync(collectorKind, ns, name, "Error", e.Message, cancellationToken).ConfigureAwait(false);
            }

            foreach (var o in objects ?? [])
            {
                desired.Add(await UpsertAsync(client, o, owner, cancellationToken).ConfigureAwait(false));
            }
        }
        else if (collector.TargetAllocator.Enabled)
        {
            // upstream: the collector reconciler creates a v1alpha1 TargetAllocator CR named like the collector.
            var taMeta = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = meta.Labels, OwnerReferences = [owner] };
            var existingTa = client.Get(taKind, ns, name);
            if (existingTa is null)
            {
                await client.CreateAsync(taKind, collector.TargetAllocator, taMeta, cancellationToken).ConfigureAwait(false);
            }
            else if (!Equals(existingTa, collector.TargetAllocator))
            {
                taMeta.ResourceVersion = client.MetadataOf(taKind, ns, name)?.ResourceVersion;
                await client.UpdateAsync(taKind, collector.TargetAllocator, taMeta, cancellationToken).ConfigureAwait(false);
            }

            // Over the wire the cache may not hold the CR just created yet: the next reconcile (its watch event) continues.
            if (client.MetadataOf(taKind, ns, name)?.Uid is not { } taUid)
            {
                return;
            }

            var taOwner = new V1OwnerReference { ApiVersion = "opentelemetry.io/v1alpha1", Kind = taKind.Kind, Name = name, Uid = taUid, Controller = true, BlockOwnerDeletion = true };
            desired.Add((taKind.Kind, name));
            List<object>? objects = null;
            try
            {
                objects = [.. TargetAllocatorManifests.Build(collector, meta, _options, render.Config)];
            }
            catch (InvalidOperationException e)
            {
                await client.WarningAsync(collectorKind, ns, name, "Error", e.Message, cancellationToken).ConfigureAwait(false);
            }

            foreach (var o in objects ?? [])
            {
                desired.Add(await UpsertAsync(client, o, taOwner, cancellationToken).ConfigureAwait(false));
            }

            await RemoveStaleAsync(client, taUid, ns, desired, name, cancellationToken).ConfigureAwait(false);
        }
        else if (client.Serves(taKind) && client.Get(taKind, ns, name) is not null)
        {
            await client.DeleteAsync(taKind, ns, name, cancellationToken).ConfigureAwait(false);
        }

        await RemoveStaleAsync(client, meta.Uid, ns, desired, name, cancellationToken).ConfigureAwait(false);
        await client.UpdateStatusAsync(collector, meta, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<(string Kind, string Name)> UpsertAsync(IOperatorClient client, object desired, V1OwnerReference owner, CancellationToken cancellationToken)
    {
        var kind = ResourceKind.Of(desired.GetType());
        var meta = ((IMetadata<V1ObjectMeta>)desired).Metadata;
        meta.OwnerReferences = [owner];
        var existing = client.Get(kind, meta.NamespaceProperty, meta.Name);
        if (existing is null)
        {
            await client.CreateAsync(kind, desired, null, cancellationToken).ConfigureAwait(false);
        }
        else if (!DesiredSubsetOf(desired, existing))
        {
            await client.UpdateAsync(kind, OtelLab.Sim.Cluster.Internal.ObjectModel.CarryServerFields(desired, existing), null, cancellationToken).ConfigureAwait(false);
        }

        return (kind.Kind, meta.Name);
    }

    /// <summary>True when every field the operator sets already has that value (server-filled fields are ignored).</summary>
    private static bool DesiredSubsetOf(object desired, object existing)
    {
        var d = System.Text.Json.Nodes.JsonNode.Parse(KubernetesJson.Serialize(desired))!.AsObject();
        var e = System.Text.Json.Nodes.JsonNode.Parse(KubernetesJson.Serialize(existing))!.AsObject();
        d.Remove("status");
        return Subset(d, e);
    }

    private static bool Subset(System.Text.Json.Nodes.JsonNode? d, System.Text.Json.Nodes.JsonNode? e)
    {
        if (d is System.Text.Json.Nodes.JsonObject dObj)
        {
            return e is System.Text.Json.Nodes.JsonObject eObj && dObj.All(kv => kv.Value is null || Subset(kv.Value, eObj[kv.Key]));
        }

        return System.Text.Json.Nodes.JsonNode.DeepEquals(d, e);
    }

    private async Task RemoveStaleAsync(IOperatorClient client, string ownerUid, string ns, HashSet<(string Kind, string Name)> desired, string collectorName, CancellationToken cancellationToken)
    {
        var owned = client.OwnedBy(ownerUid, ns);
        var keepConfigMaps = owned
            .Where(o => o.Kind.Kind == "ConfigMap" && o.Metadata.Name.StartsWith($"{collectorName}-collector-", StringComparison.Ordinal))
            .OrderByDescending(o => o.Metadata.CreationTimestamp)
            .ThenByDescending(o => long.Parse(o.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture))
            .Take(_options.ConfigVersions)
            .Select(o => o.Metadata.Name)
            .ToHashSet(StringComparer.Ordinal);
        foreach (var (kind, meta) in owned)
        {
            if (!desired.Contains((kind.Kind, meta.Name)) && !(kind.Kind == "ConfigMap" && keepConfigMaps.Contains(meta.Name)))
            {
                await client.DeleteAsync(kind, meta.NamespaceProperty, meta.Name, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
