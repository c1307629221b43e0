using System.Text.Json.Nodes;
using OtelLab.Sim.ArgoCd;

namespace OtelLab.Tests.Sim.ArgoCd;

[Trait("Category", "Unit")]
public sealed class ResourceHealthTests
{
    private static HealthResult? Of(string json) => ResourceHealth.Of(JsonNode.Parse(json)!.AsObject());

    [Theory]
    [InlineData("""{"replicas":2,"updatedReplicas":2,"availableReplicas":2,"observedGeneration":1}""", HealthStatus.Healthy)]
    [InlineData("""{"replicas":2,"updatedReplicas":1,"availableReplicas":1,"observedGeneration":1}""", HealthStatus.Progressing)]
    [InlineData("""{"replicas":3,"updatedReplicas":2,"availableReplicas":2,"observedGeneration":1}""", HealthStatus.Progressing)]
    [InlineData("""{"replicas":2,"updatedReplicas":2,"availableReplicas":1,"observedGeneration":1}""", HealthStatus.Progressing)]
    [InlineData("""{"observedGeneration":1,"conditions":[{"type":"Progressing","status":"False","reason":"ProgressDeadlineExceeded"}]}""", HealthStatus.Degraded)]
    [InlineData("""{"replicas":2,"updatedReplicas":2,"availableReplicas":2,"observedGeneration":0}""", HealthStatus.Progressing)]
    public void Deployment_health_follows_gitops_engine(string status, HealthStatus expected)
    {
        // upstream: gitops-engine pkg/health/health_deployment.go
        var result = Of($$"""{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d","generation":1},"spec":{"replicas":2},"status":{{status}}}""");

        Assert.Equal(expected, result!.Status);
    }

    [Theory]
    [InlineData("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{},"status":{"phase":"Running","containerStatuses":[{"state":{"waiting":{"reason":"CrashLoopBackOff"}}}]}}""", HealthStatus.Degraded)]
    [InlineData("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{},"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}}""", HealthStatus.Healthy)]
    [InlineData("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{},"status":{"phase":"Pending"}}""", HealthStatus.Progressing)]
    [InlineData("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},"spec":{"type":"LoadBalancer"}}""", HealthStatus.Progressing)]
    [InlineData("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},"spec":{"type":"ClusterIP"}}""", HealthStatus.Healthy)]
    [InlineData("""{"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"d","generation":1},"status":{"observedGeneration":1,"desiredNumberScheduled":3,"updatedNumberScheduled":3,"numberAvailable":2}}""", HealthStatus.Progressing)]
    [InlineData("""{"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"s","generation":1},"spec":{"replicas":2},"status":{"observedGeneration":1,"readyReplicas":1}}""", HealthStatus.Progressing)]
    [InlineData("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","deletionTimestamp":"2026-01-01T00:00:00Z"}}""", HealthStatus.Progressing)]
    public void Built_in_kinds_follow_gitops_engine(string json, HealthStatus expected) => Assert.Equal(expected, Of(json)!.Status);

    [Theory]
    [InlineData("""{"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"r","generation":2},"spec":{"replicas":2},"status":{"observedGeneration":1,"availableReplicas":2}}""", HealthStatus.Progressing, "Waiting for rollout to finish: observed replica set generation less than desired generation")]
    [InlineData("""{"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"r","generation":1},"spec":{"replicas":2},"status":{"observedGeneration":1,"availableReplicas":0,"conditions":[{"type":"ReplicaFailure","status":"True","message":"pods \"r-x\" is forbidden: exceeded quota"}]}}""", HealthStatus.Degraded, "pods \"r-x\" is forbidden: exceeded quota")]
    [InlineData("""{"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"r","generation":1},"spec":{"replicas":2},"status":{"observedGeneration":1,"availableReplicas":1}}""", HealthStatus.Progressing, "Waiting for rollout to finish: 1 out of 2 new replicas are available...")]
    [InlineData("""{"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"r","generation":1},"spec":{"replicas":2},"status":{"observedGeneration":1,"availableReplicas":2}}""", HealthStatus.Healthy, "")]
    [InlineData("""{"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"c"},"status":{"phase":"Bound"}}""", HealthStatus.Healthy, "")]
    [InlineData("""{"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"c"},"status":{"phase":"Pending"}}""", HealthStatus.Progressing, "")]
    [InlineData("""{"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"c"},"status":{"phase":"Lost"}}""", HealthStatus.Degraded, "")]
    [InlineData("""{"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"c"},"status":{}}""", HealthStatus.Unknown, "")]
    [InlineData("""{"apiVersion":"networking.k8s.io/v1","kind":"Ingress","metadata":{"name":"i"},"status":{"loadBalancer":{}}}""", HealthStatus.Progressing, "")]
    [InlineData("""{"apiVersion":"networking.k8s.io/v1","kind":"Ingress","metadata":{"name":"i"},"status":{"loadBalancer":{"ingress":[{"ip":"10.0.0.1"}]}}}""", HealthStatus.Healthy, "")]
    [InlineData("""{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"j"},"status":{"active":1}}""", HealthStatus.Progressing, "")]
    [InlineData("""{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"j"},"status":{"conditions":[{"type":"Failed","status":"True","message":"Job has reached the specified backoff limit"}]}}""", HealthStatus.Degraded, "Job has reached the specified backoff limit")]
    [InlineData("""{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"j"},"status":{"conditions":[{"type":"Suspended","status":"True","message":"Job suspended"}]}}""", HealthStatus.Suspended, "")]
    [InlineData("""{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"j"},"status":{"conditions":[{"type":"Complete","status":"True","message":"Reached expected number of succeeded pods"}]}}""", HealthStatus.Healthy, "Reached expected number of succeeded pods")]
    public void ReplicaSet_pvc_ingress_and_job_follow_gitops_engine(string json, HealthStatus expected, string message)
    {
        // upstream: gitops-engine pkg/health/health_replicaset.go, health_pvc.go, health_ingress.go, health_job.go
        // (a suspended Job reports the Failed condition's message, empty here, as upstream does)
        var result = Of(json)!;

        Assert.Equal((expected, message), (result.Status, result.Message));
    }

    [Theory]
    [InlineData("""{"mode":"deployment"}""", null, HealthStatus.Progressing, "Waiting for OpenTelemetry Collector status")]
    [InlineData("""{"mode":"deployment"}""", """{"scale":{"statusReplicas":"2/2"}}""", HealthStatus.Healthy, "All replicas are ready")]
    [InlineData("""{"mode":"deployment"}""", """{"scale":{"statusReplicas":"0/2"}}""", HealthStatus.Degraded, "No replicas are ready")]
    [InlineData("""{"mode":"deployment"}""", """{"scale":{"statusReplicas":"1/2"}}""", HealthStatus.Progressing, "Replicas are starting up")]
    [InlineData("""{"mode":"daemonset"}""", """{"scale":{"statusReplicas":"0/0"}}""", HealthStatus.Healthy, "DaemonSet has no eligible nodes (0/0)")]
    [InlineData("""{"mode":"sidecar"}""", """{}""", HealthStatus.Healthy, "Collector is running in sidecar mode")]
    [InlineData("""{"mode":"deployment"}""", """{}""", HealthStatus.Progressing, "Scale status not available")]
    public void OpenTelemetryCollector_health_is_argos_lua_check(string spec, string? status, HealthStatus expected, string message)
    {
        // upstream: argo-cd resource_customizations/opentelemetry.io/OpenTelemetryCollector/health.lua
        var result = Of($$"""{"apiVersion":"opentelemetry.io/v1beta1","kind":"OpenTelemetryCollector","metadata":{"name":"c"},"spec":{{spec}}{{(status is null ? "" : ",\"status\":" + status)}}}""");

        Assert.Equal(new HealthResult(expected, message), result);
    }

    [Fact]
    public void Kinds_without_a_check_have_no_health_and_the_worst_wins()
    {
        Assert.Null(Of("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"}}"""));
        Assert.Null(Of("""{"apiVersion":"opentelemetry.io/v1alpha1","kind":"Instrumentation","metadata":{"name":"i"}}"""));
        // upstream: gitops-engine pkg/health/health.go healthOrder
        Assert.Equal(HealthStatus.Degraded, ResourceHealth.Worst([HealthStatus.Healthy, HealthStatus.Degraded, HealthStatus.Progressing]));
        Assert.Equal(HealthStatus.Healthy, ResourceHealth.Worst([]));
    }
}
