using System.Globalization;
using System.Text.Json.Nodes;
using k8s.Models;
using OtelLab.Model.Crds;
using OtelLab.Sim.Cluster;

namespace OtelLab.Sim.Operator;

/// <summary>
/// The status the operator writes on an OpenTelemetryCollector (upstream v0.113.0
/// internal/status/collector/collector.go UpdateCollectorStatus): <c>version</c>, <c>image</c> (the workload's first
/// container), and <c>scale</c> — <c>replicas</c>, <c>selector</c> and <c>statusReplicas</c> ("ready/replicas" of the
/// Deployment or StatefulSet; none for a DaemonSet, nothing but empty scale for a sidecar). Argo CD's health check for
/// the kind reads <c>statusReplicas</c>.
/// </summary>
internal static class CollectorStatus
{
    /// <summary>upstream: version.OpenTelemetryCollector() — the collector release the operator v0.113.0 ships with.</summary>
    public const string CollectorVersion = "0.113.0";

    /// <summary>Writes the status into the collector's stored document when it changed; false when nothing changed.</summary>
    public static bool Update(SimulatedCluster cluster, OpenTelemetryCollector collector, V1ObjectMeta meta)
    {
        var document = cluster.DocumentOf(collector);
        if (document is null)
        {
            // Created through the API and not yet remembered: the API server keeps this status when it stores the body.
            document = ApiServer.Internal.CustomResourceJson.Render(ResourceKind.Of("OpenTelemetryCollector"), meta, collector, null);
            cluster.RememberDocument(collector, document);
        }

        if (Next(document["status"] as JsonObject, collector, meta, (kind, ns, name) => cluster.Get(kind, ns, name)) is not { } next)
        {
            return false;
        }

        document["status"] = next;
        return true;
    }

    /// <summary>
    /// The status the operator writes given the <paramref name="current"/> one and the workload as
    /// <paramref name="get"/> reads it; null when nothing changes or the workload cannot be read yet.
    /// </summary>
    public static JsonObject? Next(JsonObject? current, OpenTelemetryCollector collector, V1ObjectMeta meta, Func<ResourceKind, string, string, object?> get)
    {
        var ns = meta.NamespaceProperty;
        var workload = meta.Name + "-collector";
        var status = current ?? [];
        var next = status.DeepClone().AsObject();
        next["version"] ??= CollectorVersion;
        var scale = new JsonObject();
        if (collector.Mode != CollectorMode.Sidecar)
        {
            var labels = OperatorLabels.Common(ns, meta.Name, meta.Labels, workload, collector.Image, OperatorLabels.ComponentCollector);
            scale["selector"] = string.Join(",", labels.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"));
            (int Replicas, int Ready, V1PodTemplateSpec? Template)? observed = collector.Mode switch
            {
                CollectorMode.Deployment when get(ResourceKind.Of("Deployment"), ns, workload) is V1Deployment d => (d.Status?.Replicas ?? 0, d.Status?.ReadyReplicas ?? 0, d.Spec.Template),
                CollectorMode.StatefulSet when get(ResourceKind.Of("StatefulSet"), ns, workload) is V1StatefulSet s => (s.Status?.Replicas ?? 0, s.Status?.ReadyReplicas ?? 0, s.Spec.Template),
                CollectorMode.DaemonSet when get(ResourceKind.Of("DaemonSet"), ns, workload) is V1DaemonSet ds => (0, 0, ds.Spec.Template),
                _ => null,
            };
            if (observed is not { } o)
            {
                // upstream: the workload cannot be read yet — the status update fails and waits for the next reconcile.
                return null;
            }

            scale["replicas"] = o.Replicas;
            if (collector.Mode != CollectorMode.DaemonSet)
            {
                scale["statusReplicas"] = string.Create(CultureInfo.InvariantCulture, $"{o.Ready}/{o.Replicas}");
            }

            if (o.Template?.Spec?.Containers is [var first, ..])
            {
                next["image"] = first.Image;
            }
        }

        next["scale"] = scale;
        return JsonNode.DeepEquals(next, current) ? null : next;
    }
}
