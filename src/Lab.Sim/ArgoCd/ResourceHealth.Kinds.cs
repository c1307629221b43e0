using System.Text.Json.Nodes;

namespace OtelLab.Sim.ArgoCd;

/// <summary>gitops-engine's checks for the other built-in kinds an Application may deliver: ReplicaSet, PVC, Ingress, Job.</summary>
public static partial class ResourceHealth
{
    // upstream: health_replicaset.go getAppsv1ReplicaSetHealth
    private static HealthResult ReplicaSet(JsonObject o)
    {
        if (Long(o, "metadata", "generation") > (Long(o, "status", "observedGeneration") ?? 0))
        {
            return new(HealthStatus.Progressing, "Waiting for rollout to finish: observed replica set generation less than desired generation");
        }

        if (Conditions(o).FirstOrDefault(c => (string?)c["type"] == "ReplicaFailure" && (string?)c["status"] == "True") is { } failure)
        {
            return new(HealthStatus.Degraded, (string?)failure["message"] ?? string.Empty);
        }

        var available = Long(o, "status", "availableReplicas") ?? 0;
        return Long(o, "spec", "replicas") is { } replicas && available < replicas
            ? new(HealthStatus.Progressing, $"Waiting for rollout to finish: {available} out of {replicas} new replicas are available...")
            : new(HealthStatus.Healthy, string.Empty);
    }

    // upstream: health_pvc.go getCorev1PVCHealth
    private static HealthResult PersistentVolumeClaim(JsonObject o) => (string?)o["status"]?["phase"] switch
    {
        "Lost" => new(HealthStatus.Degraded, string.Empty),
        "Pending" => new(HealthStatus.Progressing, string.Empty),
        "Bound" => new(HealthStatus.Healthy, string.Empty),
        _ => new(HealthStatus.Unknown, string.Empty),
    };

    // upstream: health_ingress.go getIngressHealth — without an ingress controller writing the address it never turns Healthy.
    private static HealthResult Ingress(JsonObject o) =>
        o["status"]?["loadBalancer"]?["ingress"] is JsonArray { Count: > 0 } ? new(HealthStatus.Healthy, string.Empty) : new(HealthStatus.Progressing, string.Empty);

    // upstream: health_job.go getBatchv1JobHealth
    private static HealthResult Job(JsonObject o)
    {
        var (complete, failed, suspended, message, failMessage) = (false, false, false, string.Empty, string.Empty);
        foreach (var c in Conditions(o))
        {
            switch ((string?)c["type"])
            {
                case "Failed":
                    (failed, complete, failMessage) = (true, true, (string?)c["message"] ?? string.Empty);
                    break;
                case "Complete":
                    (complete, message) = (true, (string?)c["message"] ?? string.Empty);
                    break;
                case "Suspended":
                    (complete, message, suspended) = (true, (string?)c["message"] ?? string.Empty, suspended || (string?)c["status"] == "True");
                    break;
            }
        }

        return !complete ? new(HealthStatus.Progressing, message)
            : failed ? new(HealthStatus.Degraded, failMessage)
            : suspended ? new(HealthStatus.Suspended, failMessage)
            : new(HealthStatus.Healthy, message);
    }
}
