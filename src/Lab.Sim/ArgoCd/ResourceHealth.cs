using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace OtelLab.Sim.ArgoCd;

/// <summary>
/// Argo CD's health checks for the kinds the lab deploys (gitops-engine pkg/health/health_*.go; the
/// OpenTelemetryCollector check is argo-cd resource_customizations/opentelemetry.io/OpenTelemetryCollector/health.lua,
/// its messages verbatim). Kinds without a check return null and do not count towards the Application's health.
/// </summary>
public static partial class ResourceHealth
{
    public static HealthResult? Of(JsonObject live)
    {
        ArgumentNullException.ThrowIfNull(live);
        if (live["metadata"]?["deletionTimestamp"] is not null)
        {
            // upstream: health.go GetResourceHealth — anything being deleted is Progressing.
            return new HealthResult(HealthStatus.Progressing, "Pending deletion");
        }

        var apiVersion = (string?)live["apiVersion"] ?? string.Empty;
        var group = apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)] : string.Empty;
        return (group, (string?)live["kind"]) switch
        {
            ("apps", "Deployment") => Deployment(live),
            ("apps", "StatefulSet") => StatefulSet(live),
            ("apps", "DaemonSet") => DaemonSet(live),
            ("", "Service") => Service(live),
            ("", "Pod") => Pod(live),
            ("apps", "ReplicaSet") => ReplicaSet(live),
            ("", "PersistentVolumeClaim") => PersistentVolumeClaim(live),
            ("networking.k8s.io" or "extensions", "Ingress") => Ingress(live),
            ("batch", "Job") => Job(live),
            ("opentelemetry.io", "OpenTelemetryCollector") => Collector(live),
            _ => null,
        };
    }

    /// <summary>The worst of the given healths (health.go IsWorse), Healthy when none has a check.</summary>
    public static HealthStatus Worst(IEnumerable<HealthStatus> statuses) => statuses.DefaultIfEmpty(HealthStatus.Healthy).Max();

    // upstream: health_deployment.go getAppsv1DeploymentHealth
    private static HealthResult Deployment(JsonObject o)
    {
        if ((bool?)o["spec"]?["paused"] == true)
        {
            return new(HealthStatus.Suspended, "Deployment is paused");
        }

        if (Long(o, "metadata", "generation") > Long(o, "status", "observedGeneration"))
        {
            return new(HealthStatus.Progressing, "Waiting for rollout to finish: observed deployment generation less than desired generation");
        }

        if (Conditions(o).Any(c => (string?)c["type"] == "Progressing" && (string?)c["reason"] == "ProgressDeadlineExceeded"))
        {
            return new(HealthStatus.Degraded, $"Deployment \"{Name(o)}\" exceeded its progress deadline");
        }

        var replicas = Long(o, "spec", "replicas") ?? 1;
        var updated = Long(o, "status", "updatedReplicas") ?? 0;
        var total = Long(o, "status", "replicas") ?? 0;
        var available = Long(o, "status", "availableReplicas") ?? 0;
        if (updated < replicas)
        {
            return new(HealthStatus.Progressing, $"Waiting for rollout to finish: {updated} out of {replicas} new replicas have been updated...");
        }

        if (total > updated)
        {
            return new(HealthStatus.Progressing, $"Waiting for rollout to finish: {total - updated} old replicas are pending termination...");
        }

        return available < updated
            ? new(HealthStatus.Progressing, $"Waiting for rollout to finish: {available} of {updated} updated replicas are available...")
            : new(HealthStatus.Healthy);
    }

    // upstream: health_statefulset.go getAppsv1StatefulSetHealth
    private static HealthResult StatefulSet(JsonObject o)
    {
        var observed = Long(o, "status", "observedGeneration") ?? 0;
        if (observed == 0 || Long(o, "metadata", "generation") > observed)
        {
            return new(HealthStatus.Progressing, "Waiting for statefulset spec update to be observed...");
        }

        var replicas = Long(o, "spec", "replicas") ?? 1;
        var ready = Long(o, "status", "readyReplicas") ?? 0;
        if (ready < replicas)
        {
            return new(HealthStatus.Progressing, $"Waiting for {replicas - ready} pods to be ready...");
        }

        var strategy = o["spec"]?["updateStrategy"];
        if ((string?)strategy?["type"] == "OnDelete" || ((string?)strategy?["type"] is null or "RollingUpdate" && strategy?["rollingUpdate"] is not null))
        {
            return new(HealthStatus.Healthy, $"statefulset rolling update complete {ready} pods at revision {(string?)o["status"]?["currentRevision"]}...");
        }

        return (string?)o["status"]?["updateRevision"] != (string?)o["status"]?["currentRevision"]
            ? new(HealthStatus.Progressing, "waiting for statefulset rolling update to complete")
            : new(HealthStatus.Healthy);
    }

    // upstream: health_daemonset.go getAppsv1DaemonSetHealth
    private static HealthResult DaemonSet(JsonObject o)
    {
        if (Long(o, "metadata", "generation") > (Long(o, "status", "observedGeneration") ?? 0))
        {
            return new(HealthStatus.Progressing, "Waiting for rollout to finish: observed daemon set generation less than desired generation");
        }

        if ((string?)o["spec"]?["updateStrategy"]?["type"] == "OnDelete")
        {
            return new(HealthStatus.Healthy);
        }

        var desired = Long(o, "status", "desiredNumberScheduled") ?? 0;
        if ((Long(o, "status", "updatedNumberScheduled") ?? 0) < desired)
        {
            return new(HealthStatus.Progressing, "Waiting for daemon set rollout to finish");
        }

        return (Long(o, "status", "numberAvailable") ?? 0) < desired
            ? new(HealthStatus.Progressing, "Waiting for daemon set rollout to finish")
            : new(HealthStatus.Healthy);
    }

    // upstream: health_service.go getCorev1ServiceHealth
    private static HealthResult Service(JsonObject o) =>
        (string?)o["spec"]?["type"] == "LoadBalancer" && (o["status"]?["loadBalancer"]?["ingress"] as JsonArray ?? []).Count == 0
            ? new(HealthStatus.Progressing)
            : new(HealthStatus.Healthy);

    // upstream: health_pod.go getCorev1PodHealth
    private static HealthResult Pod(JsonObject o)
    {
        var policy = (string?)o["spec"]?["restartPolicy"] ?? "Always";
        var statuses = (o["status"]?["containerStatuses"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        if (policy == "Always")
        {
            foreach (var s in statuses)
            {
                var reason = (string?)s["state"]?["waiting"]?["reason"];
                if (reason is not null && (reason.StartsWith("Err", StringComparison.Ordinal) || reason.EndsWith("Error", StringComparison.Ordinal) || reason.EndsWith("BackOff", StringComparison.Ordinal)))
                {
                    return new(HealthStatus.Degraded, (string?)s["state"]?["waiting"]?["message"] ?? reason);
                }
            }
        }

        switch ((string?)o["status"]?["phase"])
        {
            case "Pending":
                return new(HealthStatus.Progressing);
            case "Succeeded":
                return new(HealthStatus.Healthy);
            case "Failed":
                return new(HealthStatus.Degraded);
            case "Running" when policy == "Always":
                if (Conditions(o).Any(c => (string?)c["type"] == "Ready" && (string?)c["status"] == "True"))
                {
                    return new(HealthStatus.Healthy);
                }

                return statuses.Any(s => s["lastState"]?["terminated"] is not null)
                    ? new(HealthStatus.Degraded)
                    : new(HealthStatus.Progressing);
            case "Running":
                return new(HealthStatus.Progressing);
            default:
                return new(HealthStatus.Unknown);
        }
    }

    // upstream: resource_customizations/opentelemetry.io/OpenTelemetryCollector/health.lua
    private static HealthResult Collector(JsonObject o)
    {
        if (o["status"] is not JsonObject status)
        {
            return new(HealthStatus.Progressing, "Waiting for OpenTelemetry Collector status");
        }

        if ((string?)status["scale"]?["statusReplicas"] is not { } replicas)
        {
            return (string?)o["spec"]?["mode"] == "sidecar"
                ? new(HealthStatus.Healthy, "Collector is running in sidecar mode")
                : new(HealthStatus.Progressing, "Scale status not available");
        }

        var m = ReplicaRatio().Match(replicas);
        if (!m.Success)
        {
            return new(HealthStatus.Progressing, "Unable to parse replica status: " + replicas);
        }

        var ready = long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var total = long.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        if (ready == 0 && total == 0 && (string?)o["spec"]?["mode"] == "daemonset")
        {
            return new(HealthStatus.Healthy, "DaemonSet has no eligible nodes (0/0)");
        }

        if (ready == 0)
        {
            return new(HealthStatus.Degraded, "No replicas are ready");
        }

        return ready == total ? new(HealthStatus.Healthy, "All replicas are ready") : new(HealthStatus.Progressing, "Replicas are starting up");
    }

    private static long? Long(JsonObject o, string a, string b) => o[a]?[b] is JsonValue v && v.TryGetValue<long>(out var l) ? l : null;

    private static string Name(JsonObject o) => (string?)o["metadata"]?["name"] ?? string.Empty;

    private static IEnumerable<JsonObject> Conditions(JsonObject o) => (o["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>();

    [GeneratedRegex(@"(\d+)/(\d+)")]
    private static partial Regex ReplicaRatio();
}
