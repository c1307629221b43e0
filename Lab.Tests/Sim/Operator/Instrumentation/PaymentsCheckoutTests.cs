using k8s.Models;
using OtelLab.Model.Manifests;
using OtelLab.Sim.Kubelet;
using OtelLab.Sim.Operator.Instrumentation;
using OtelLab.Tests.Support;
using static OtelLab.Tests.Sim.Operator.Instrumentation.WebhookFixture;
using InstrumentationCr = OtelLab.Model.Crds.Instrumentation;

namespace OtelLab.Tests.Sim.Operator.Instrumentation;

/// <summary>
/// The guide's checkout Deployment (scenarios/payments/manifests/21-checkout.yaml) through the webhook and the kubelet:
/// the guide's endpoint <c>http://$(K8S_NODE_NAME):4318</c> is copied verbatim and stays literal in the process, the
/// fixed scenario's <c>http://$(OTEL_NODE_IP):4318</c> becomes the node's address.
/// </summary>
[Trait("Category", "Unit")]
public sealed class PaymentsCheckoutTests
{
    private const string NodeIp = "127.32.0.1";
    private const string PodIp = "127.64.0.7";
    private const string PodName = "checkout-" + TemplateHash + "-x2x4q";

    public static readonly string[] GuideCheckoutEnv =
    [
        "OTEL_NODE_IP<-status.hostIP",
        "OTEL_POD_IP<-status.podIP",
        "JAVA_TOOL_OPTIONS= -javaagent:/otel-auto-instrumentation-java-checkout/javaagent.jar",
        "OTEL_SERVICE_NAME=checkout",
        "OTEL_EXPORTER_OTLP_ENDPOINT=http://$(K8S_NODE_NAME):4318",
        "OTEL_RESOURCE_ATTRIBUTES_POD_NAME<-metadata.name",
        "OTEL_RESOURCE_ATTRIBUTES_NODE_NAME<-spec.nodeName",
        "OTEL_PROPAGATORS=tracecontext,baggage",
        "OTEL_TRACES_SAMPLER=parentbased_traceidratio",
        "OTEL_TRACES_SAMPLER_ARG=1.0",
        "OTEL_RESOURCE_ATTRIBUTES=k8s.container.name=checkout,k8s.deployment.name=checkout,k8s.namespace.name=payments," +
        "k8s.node.name=$(OTEL_RESOURCE_ATTRIBUTES_NODE_NAME),k8s.pod.name=$(OTEL_RESOURCE_ATTRIBUTES_POD_NAME)," +
        "k8s.replicaset.name=checkout-" + TemplateHash + ",service.instance.id=payments.$(OTEL_RESOURCE_ATTRIBUTES_POD_NAME).checkout," +
        "service.namespace=payments,service.version=1.0.0",
    ];

    [Fact]
    public void The_guides_checkout_pod_gets_the_java_agent_and_upstreams_env()
    {
        // Given the guide's manifests (the Instrumentation as the operator's defaulting webhook stores it)
        var (pod, context) = Checkout("payments");

        // When the ReplicaSet creates the pod
        var result = new PodMutator().Mutate(pod, context);

        // Then
        Assert.True(result.Mutated);
        Assert.Equal(GuideCheckoutEnv, Env(result.Container("checkout")));
        var init = Assert.Single(result.Pod.Spec.InitContainers);
        Assert.Equal("opentelemetry-auto-instrumentation-java", init.Name);
        Assert.Equal("ghcr.io/open-telemetry/opentelemetry-operator/autoinstrumentation-java:2.6.0", init.Image);
        Assert.Equal(("500m", "64Mi", "50m", "64Mi"), (
            init.Resources.Limits["cpu"].ToString(), init.Resources.Limits["memory"].ToString(),
            init.Resources.Requests["cpu"].ToString(), init.Resources.Requests["memory"].ToString()));
        Assert.Equal("/otel-auto-instrumentation-java-checkout", Assert.Single(result.Container("checkout").VolumeMounts).MountPath);
    }

    [Fact]
    public void The_guides_endpoint_stays_literal_in_the_process_and_names_the_undefined_variable()
    {
        // Given the mutated checkout pod, scheduled and running
        var (pod, context) = Checkout("payments");
        var running = Schedule(new PodMutator().Mutate(pod, context).Pod);

        // When the kubelet builds the process environment
        var env = ContainerEnvironment.Resolve(running, running.Spec.Containers[0]);

        // Then
        Assert.True(env.Succeeded);
        Assert.Equal("http://$(K8S_NODE_NAME):4318", env["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var unresolved = Assert.Single(env.Unresolved);
        Assert.Equal(("OTEL_EXPORTER_OTLP_ENDPOINT", "K8S_NODE_NAME"), (unresolved.EnvVar, unresolved.Variable));
        Assert.Equal(NodeIp, env["OTEL_NODE_IP"]);
        Assert.Contains($"k8s.pod.name={PodName},", env["OTEL_RESOURCE_ATTRIBUTES"], StringComparison.Ordinal);
        Assert.Contains("k8s.node.name=node-1,", env["OTEL_RESOURCE_ATTRIBUTES"], StringComparison.Ordinal);
        Assert.Contains($"service.instance.id=payments.{PodName}.checkout,", env["OTEL_RESOURCE_ATTRIBUTES"], StringComparison.Ordinal);
    }

    [Fact]
    public void The_fixed_endpoint_expands_to_the_node_address()
    {
        // Given the fixed scenario's Instrumentation (http://$(OTEL_NODE_IP):4318)
        var (pod, context) = Checkout("payments-fixed");
        var running = Schedule(new PodMutator().Mutate(pod, context).Pod);

        // When
        var env = ContainerEnvironment.Resolve(running, running.Spec.Containers[0]);

        // Then
        Assert.Equal($"http://{NodeIp}:4318", env["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Empty(env.Unresolved);
    }

    private static (V1Pod Pod, PodMutationContext Context) Checkout(string scenario)
    {
        var set = ManifestLoader.Load([Path.Combine(RepoPaths.Scenario(scenario), "manifests")]);
        Assert.Empty(set.Errors);
        var (pod, owners) = PodFor(set.Typed<V1Deployment>().Single(d => d.Model.Metadata.Name == "checkout").Model);
        var context = new PodMutationContext
        {
            Namespace = set.Typed<V1Namespace>().Single(n => n.Model.Metadata.Name == "payments").Model,
            Instrumentations = set.Typed<InstrumentationCr>().Select(i => InstrumentationDefaulter.Apply(i.Model)).ToList(),
            Owners = owners,
        };
        return (pod, context);
    }

    // What the API server and scheduler add after admission: the generated name, the node, the addresses.
    private static V1Pod Schedule(V1Pod pod)
    {
        pod.Metadata.Name = PodName;
        pod.Spec.NodeName = "node-1";
        pod.Status = new V1PodStatus { PodIP = PodIp, HostIP = NodeIp };
        return pod;
    }
}
