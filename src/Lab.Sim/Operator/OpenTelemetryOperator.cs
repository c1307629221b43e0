using k8s;
using k8s.Models;
using OtelLab.Model.Crds;
using OtelLab.Sim.Cluster;

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
        cluster.AddAdmissionWebhook(new CollectorAdmissionWebhook());
        cluster.AddAdmissionWebhook(new Instrumentation.InstrumentationAdmissionWebhook());
        cluster.AddController(op);
        foreach (var c in cluster.List<OpenTelemetryCollector>())
        {
            op.Sync(cluster, c.Namespace, c.Name);
        }

        return op;
    }

    public void Reconcile(SimulatedCluster cluster, IReadOnlyList<WatchEvent> changes)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(changes);
        var keys = new SortedSet<(string, string)>();
        foreach (var e in changes)
        {
            if (e.Kind.Kind == "OpenTelemetryCollector")
            {
                if (e.Type != OtelLab.Sim.Cluster.WatchEventType.Deleted)
                {
                    keys.Add((e.Namespace!, e.Name));
                }

                continue;
            }

            foreach (var o in new[] { e.Object, e.Previous })
            {
                var owner = (o as IMetadata<V1ObjectMeta>)?.Metadata?.OwnerReferences?.FirstOrDefault(r => r.Controller == true);
                if (owner is { Kind: "OpenTelemetryCollector" or "TargetAllocator" } && e.Namespace is not null)
                {
                    keys.Add((e.Namespace, owner.Name));
                }
            }
        }

        foreach (var (ns, name) in keys)
        {
            Sync(cluster, ns, name);
        }
    }

    private void Sync(SimulatedCluster cluster, string ns, string name)
    {
        var collectorKind = ResourceKind.Of("OpenTelemetryCollector");
        if (cluster.Get(collectorKind, ns, name) is not OpenTelemetryCollector collector || cluster.MetadataOf(collectorKind.Kind, ns, name) is not { } meta)
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
            RecordError(cluster, ns, name, e.Message);
            return;
        }

        foreach (var o in render.Objects)
        {
            desired.Add(Upsert(cluster, o, owner));
        }

        var taKind = ResourceKind.Of("TargetAllocator");
        if (collector.TargetAllocator.Enabled && !cluster.Options.Installs(taKind))
        {
            // upstream v0.113 controllers/opentelemetrycollector_controller.go: without the operator.collector.targetallocatorcr
            // feature gate (off by default; its CRD is not in the operator chart 0.74.2) the collector's own manifests
            // carry the Target Allocator's Deployment, Service and ConfigMap, owned by the collector.
            try
            {
                foreach (var o in TargetAllocatorManifests.Build(collector, meta, _options, render.Config))
                {
                    desired.Add(Upsert(cluster, o, owner));
                }
            }
            catch (InvalidOperationException e)
            {
                RecordError(cluster, ns, name, e.Message);
            }
        }
        else if (collector.TargetAllocator.Enabled)
        {
            // upstream: the collector reconciler creates a v1alpha1 TargetAllocator CR named like the collector.
            var taMeta = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = meta.Labels, OwnerReferences = [owner] };
            if (cluster.Get(taKind, ns, name) is null)
            {
                cluster.Create(taKind, collector.TargetAllocator, taMeta);
            }
            else if (!Equals(cluster.Get(taKind, ns, name), collector.TargetAllocator))
            {
                cluster.Update(taKind, collector.TargetAllocator, taMeta);
            }

            var taUid = cluster.MetadataOf(taKind.Kind, ns, name)!.Uid;
            var taOwner = new V1OwnerReference { ApiVersion = "opentelemetry.io/v1alpha1", Kind = taKind.Kind, Name = name, Uid = taUid, Controller = true, BlockOwnerDeletion = true };
            desired.Add((taKind.Kind, name));
            try
            {
                foreach (var o in TargetAllocatorManifests.Build(collector, meta, _options, render.Config))
                {
                    desired.Add(Upsert(cluster, o, taOwner));
                }
            }
            catch (InvalidOperationException e)
            {
                RecordError(cluster, ns, name, e.Message);
            }

            RemoveStale(cluster, taUid, desired, name);
        }
        else if (cluster.Options.Installs(taKind) && cluster.Get(taKind, ns, name) is not null)
        {
            cluster.Delete(taKind.Kind, ns, name);
        }

        RemoveStale(cluster, meta.Uid, desired, name);
        CollectorStatus.Update(cluster, collector, meta);
    }

    private static (string Kind, string Name) Upsert(SimulatedCluster cluster, object desired, V1OwnerReference owner)
    {
        var kind = ResourceKind.Of(desired.GetType());
        var meta = ((IMetadata<V1ObjectMeta>)desired).Metadata;
        meta.OwnerReferences = [owner];
        var existing = cluster.Get(kind, meta.NamespaceProperty, meta.Name);
        if (existing is null)
        {
            cluster.Create(kind, desired);
        }
        else if (!DesiredSubsetOf(desired, existing))
        {
            cluster.Update(kind, OtelLab.Sim.Cluster.Internal.ObjectModel.CarryServerFields(desired, existing));
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

    private void RemoveStale(SimulatedCluster cluster, string ownerUid, HashSet<(string Kind, string Name)> desired, string collectorName)
    {
        var owned = cluster.Store.DependentsOf(ownerUid)
            .Where(o => o.Metadata.OwnerReferences?.Any(r => r.Uid == ownerUid && r.Controller == true) == true)
            .Select(o => (o.Kind, Meta: o.Metadata))
            .ToList();
        var keepConfigMaps = owned
            .Where(o => o.Kind.Kind == "ConfigMap" && o.Meta.Name.StartsWith($"{collectorName}-collector-", StringComparison.Ordinal))
            .OrderByDescending(o => o.Meta.CreationTimestamp)
            .ThenByDescending(o => long.Parse(o.Meta.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture))
            .Take(_options.ConfigVersions)
            .Select(o => o.Meta.Name)
            .ToHashSet(StringComparer.Ordinal);
        foreach (var (kind, meta) in owned)
        {
            if (!desired.Contains((kind.Kind, meta.Name)) && !(kind.Kind == "ConfigMap" && keepConfigMaps.Contains(meta.Name)))
            {
                cluster.Delete(kind.Kind, meta.NamespaceProperty, meta.Name);
            }
        }
    }

    private static void RecordError(SimulatedCluster cluster, string ns, string name, string message)
    {
        var stored = cluster.Store.Get(ResourceKind.Of("OpenTelemetryCollector"), ns, name);
        if (stored is not null)
        {
            cluster.Recorder.Warning(stored, "Error", message, "opentelemetry-operator");
        }
    }
}
