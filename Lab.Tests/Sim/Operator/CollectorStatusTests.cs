using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using OtelLab.Tests.Sim.ArgoCd;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Sim.Operator;

/// <summary>The status the operator writes on a collector created through the API (what Argo CD's health check reads).</summary>
[Trait("Category", "Lab")]
public sealed class CollectorStatusTests
{
    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_collector_created_through_the_api_gets_version_image_and_scale_with_ready_over_replicas()
    {
        // Given
        var ct = TestContext.Current.CancellationToken;
        var h = await ControllerHarness.StartAsync(20);
        await using var _ = h;
        await h.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "observability" } }, cancellationToken: ct);
        var yaml = File.ReadAllText(Path.Combine(RepoPaths.Scenario("payments-fixed"), "manifests", "12-otel-gateway.yaml"));
        var body = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(KubernetesYaml.Deserialize<object>(yaml)));

        // When
        await h.Client.CustomObjects.CreateNamespacedCustomObjectAsync(body, "opentelemetry.io", "v1beta1", "observability", "opentelemetrycollectors", cancellationToken: ct);
        var got = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(
            await h.Client.CustomObjects.GetNamespacedCustomObjectAsync("opentelemetry.io", "v1beta1", "observability", "opentelemetrycollectors", "otel-gateway", ct)))!;
        var deployment = await h.Client.AppsV1.ReadNamespacedDeploymentAsync("otel-gateway-collector", "observability", cancellationToken: ct);

        // Then: upstream v0.113.0 internal/status/collector/collector.go UpdateCollectorStatus
        var status = got["status"]!;
        Assert.Equal("0.113.0", (string?)status["version"]);
        Assert.Equal(deployment.Spec.Template.Spec.Containers[0].Image, (string?)status["image"]);
        Assert.Equal($"{deployment.Status?.ReadyReplicas ?? 0}/{deployment.Status?.Replicas ?? 0}", (string?)status["scale"]!["statusReplicas"]);
        Assert.Contains("app.kubernetes.io/instance=observability.otel-gateway", (string?)status["scale"]!["selector"], StringComparison.Ordinal);
    }
}
