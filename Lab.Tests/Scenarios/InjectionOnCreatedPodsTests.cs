using k8s.Models;
using OtelLab.Model.Manifests;
using OtelLab.Sim.Cluster;
using OtelLab.Sim.Operator;
using OtelLab.Tests.Sim;
using OtelLab.Tests.Sim.Operator.Instrumentation;
using OtelLab.Tests.Support;
using static OtelLab.Tests.Sim.Operator.Instrumentation.WebhookFixture;

namespace OtelLab.Tests.Scenarios;

/// <summary>
/// Injection assertions like upstream's e2e (tests/e2e-instrumentation/instrumentation-*/01-assert.yaml: init
/// container names, the container env in order, the mounts) on the pods the simulated cluster created.
/// </summary>
[Collection(nameof(SimulatedNetworkCollection))]
[Trait("Category", "Lab")]
public sealed class InjectionOnCreatedPodsTests
{
    private static async Task<SimulatedCluster> ApplyAsync(string scenario)
    {
        var ct = TestContext.Current.CancellationToken;
        var cluster = SimFixtures.NewCluster(nodes: 3);
        OpenTelemetryOperator.Install(cluster);
        await cluster.ApplyAsync(ManifestLoader.Load([Path.Combine(RepoPaths.Scenario(scenario), "manifests")]), ct);
        return cluster;
    }

    private static V1Pod PodOf(SimulatedCluster cluster, string app) => Assert.Single(cluster.List<V1Pod>("payments", LabelSelector.Parse($"app={app}")));

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task The_guides_checkout_pod_carries_the_java_init_container_upstreams_env_in_order_and_the_mount()
    {
        // Given the guide's manifests applied to the cluster with the operator's webhook
        var cluster = await ApplyAsync("payments");

        // When the ReplicaSet created checkout's pod
        var pod = PodOf(cluster, "checkout");

        // Then it has upstream's Java init container, env list in order and the agent mount
        Assert.Equal(["opentelemetry-auto-instrumentation-java"], pod.Spec.InitContainers.Select(c => c.Name));
        var container = Assert.Single(pod.Spec.Containers);
        Assert.Equal(PaymentsCheckoutTests.GuideCheckoutEnv.Select(e => e.Replace(TemplateHash, HashOf(pod), StringComparison.Ordinal)), Env(container));
        var mount = Assert.Single(container.VolumeMounts);
        Assert.Equal(("opentelemetry-auto-instrumentation-java", "/otel-auto-instrumentation-java-checkout"), (mount.Name, mount.MountPath));
        Assert.Equal(mount.Name, Assert.Single(pod.Spec.Volumes).Name);
        Assert.NotNull(pod.Spec.Volumes[0].EmptyDir);
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Payments_fixed_python_and_node_pods_carry_their_init_containers_agent_env_and_mounts()
    {
        // Given payments-fixed applied (payments: inject-python, ledger: inject-nodejs)
        var cluster = await ApplyAsync("payments-fixed");

        // When the ReplicaSets created the pods
        var payments = PodOf(cluster, "payments");
        var ledger = PodOf(cluster, "ledger");

        // Then each has its language's init container and mount, and the agent variables upstream sets, in upstream's order
        Assert.Equal(["opentelemetry-auto-instrumentation-python"], payments.Spec.InitContainers.Select(c => c.Name));
        Assert.Equal(["opentelemetry-auto-instrumentation-nodejs"], ledger.Spec.InitContainers.Select(c => c.Name));
        Assert.Equal("/otel-auto-instrumentation-python", Assert.Single(payments.Spec.Containers[0].VolumeMounts).MountPath);
        Assert.Equal("/otel-auto-instrumentation-nodejs", Assert.Single(ledger.Spec.Containers[0].VolumeMounts).MountPath);
        var python = Env(payments.Spec.Containers[0]);
        var node = Env(ledger.Spec.Containers[0]);
        TestContext.Current.SendDiagnosticMessage("payments:\n" + string.Join("\n", python) + "\nledger:\n" + string.Join("\n", node));
        AssertInOrder(python, "OTEL_NODE_IP<-status.hostIP", "OTEL_POD_IP<-status.podIP", "PYTHONPATH=/otel-auto-instrumentation-python/opentelemetry/instrumentation/auto_instrumentation:/otel-auto-instrumentation-python",
            "OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf", "OTEL_TRACES_EXPORTER=otlp", "OTEL_METRICS_EXPORTER=otlp", "OTEL_LOGS_EXPORTER=otlp", "OTEL_SERVICE_NAME=payments",
            "OTEL_EXPORTER_OTLP_ENDPOINT=http://$(OTEL_NODE_IP):4318");
        AssertInOrder(node, "OTEL_NODE_IP<-status.hostIP", "OTEL_POD_IP<-status.podIP", "OTEL_EXPORTER_OTLP_ENDPOINT=http://$(OTEL_NODE_IP):4317",
            "NODE_OPTIONS= --require /otel-auto-instrumentation-nodejs/autoinstrumentation.js", "OTEL_METRICS_EXPORTER=otlp", "OTEL_SERVICE_NAME=ledger");
        Assert.Single(node, e => e.StartsWith("OTEL_EXPORTER_OTLP_ENDPOINT=", StringComparison.Ordinal));
    }

    private static string HashOf(V1Pod pod) => pod.Metadata.Labels["pod-template-hash"];

    private static void AssertInOrder(string[] env, params string[] expected)
    {
        var positions = expected.Select(e => Array.IndexOf(env, e)).ToList();
        Assert.True(positions.All(p => p >= 0) && positions.SequenceEqual(positions.Order()),
            $"expected in this order:\n{string.Join("\n", expected)}\nactual:\n{string.Join("\n", env)}");
    }
}
