using k8s.Models;
using OtelLab.Model.Manifests;
using OtelLab.Sim.Cluster;
using OtelLab.Sim.Kubelet;
using OtelLab.Sim.Operator;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Sim.Operator.Instrumentation;

/// <summary>The operator's pod webhook and the kubelet's env resolution, wired into the simulated cluster.</summary>
[Trait("Category", "Unit")]
public sealed class InjectionOnTheClusterTests
{
    private static async Task<(SimulatedCluster Cluster, V1Pod Pod)> CheckoutPodAsync(string scenario)
    {
        var cluster = SimFixtures.NewCluster(nodes: 3);
        OpenTelemetryOperator.Install(cluster);
        var manifests = ManifestLoader.Load([Path.Combine(RepoPaths.Scenario(scenario), "manifests")]);
        await cluster.ApplyAsync(manifests, TestContext.Current.CancellationToken);
        var pod = Assert.Single(SimFixtures.PodsOf(cluster, "payments", "app=checkout"));
        return (cluster, pod);
    }

    [Fact]
    public async Task The_guides_checkout_pod_is_injected_at_creation_but_its_endpoint_variable_stays_literal()
    {
        // Given the guide's manifests applied to a cluster with the operator installed
        var (cluster, pod) = await CheckoutPodAsync("payments");

        // When the kubelet resolves the instrumented container's environment
        var result = new KubeletEnvironment(cluster).ResolveDetailed(pod, pod.Spec.Containers[0]);

        // Then the webhook injected the Java agent, and $(K8S_NODE_NAME) was never defined in the container
        Assert.Equal("opentelemetry-auto-instrumentation-java", Assert.Single(pod.Spec.InitContainers).Name);
        var env = result.Variables.ToDictionary(v => v.Key, v => v.Value);
        Assert.Equal(" -javaagent:/otel-auto-instrumentation-java-checkout/javaagent.jar", env["JAVA_TOOL_OPTIONS"]);
        Assert.Equal("http://$(K8S_NODE_NAME):4318", env["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Contains(result.Unresolved, u => u.EnvVar == "OTEL_EXPORTER_OTLP_ENDPOINT" && u.Variable == "K8S_NODE_NAME");
        Assert.Equal(pod.Metadata.Name, env["OTEL_RESOURCE_ATTRIBUTES_POD_NAME"]);
    }

    [Fact]
    public async Task The_fixed_checkout_pod_exports_to_its_node_address()
    {
        var (cluster, pod) = await CheckoutPodAsync("payments-fixed");

        var result = new KubeletEnvironment(cluster).ResolveDetailed(pod, pod.Spec.Containers[0]);

        var env = result.Variables.ToDictionary(v => v.Key, v => v.Value);
        Assert.False(string.IsNullOrEmpty(pod.Status?.HostIP));
        Assert.Equal($"http://{pod.Status!.HostIP}:4318", env["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.DoesNotContain(result.Unresolved, u => u.EnvVar == "OTEL_EXPORTER_OTLP_ENDPOINT");
    }
}
