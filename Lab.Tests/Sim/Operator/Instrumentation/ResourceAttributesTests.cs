using k8s.Models;
using OtelLab.Sim.Operator.Instrumentation;
using static OtelLab.Tests.Sim.Operator.Instrumentation.WebhookFixture;
using InstrumentationCr = OtelLab.Model.Crds.Instrumentation;

namespace OtelLab.Tests.Sim.Operator.Instrumentation;

/// <summary>OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES, modelled on upstream sdk_test.go TestSDKInjection.</summary>
[Trait("Category", "Unit")]
public sealed class ResourceAttributesTests
{
    private static InstrumentationCr Sdk(string extra = "") => InstrumentationFrom($$"""
        apiVersion: opentelemetry.io/v1alpha1
        kind: Instrumentation
        metadata: {name: inst, namespace: project1}
        spec:
          exporter: {endpoint: "https://collector:4317"}
          propagators: [b3, jaeger]
          sampler: {type: parentbased_traceidratio, argument: "0.25"}
        {{extra}}
        """);

    private static V1Pod SdkPod(string image = "app:latest", IDictionary<string, string>? annotations = null, IDictionary<string, string>? labels = null, params V1OwnerReference[] owners)
    {
        var all = new Dictionary<string, string>(annotations ?? new Dictionary<string, string>()) { [InstrumentationAnnotations.InjectSdk] = "true" };
        var pod = Pod("project1", "app", all, Container("application-name", image));
        pod.Metadata.Labels = labels;
        pod.Metadata.OwnerReferences = owners.Length == 0 ? null : owners;
        return pod;
    }

    private static string? Value(PodMutationResult r, string name) =>
        r.Container("application-name").Env?.SingleOrDefault(e => e.Name == name)?.Value;

    // The ReplicaSet "my-replicaset" of Deployment "my-deployment" and the Job "nightly-123" of CronJob "nightly".
    private static InMemoryWorkloadOwners Owners() => new InMemoryWorkloadOwners()
        .Add(new V1ReplicaSet
        {
            Metadata = new V1ObjectMeta
            {
                Name = "my-replicaset",
                NamespaceProperty = "project1",
                OwnerReferences = [new V1OwnerReference { Kind = "Deployment", ApiVersion = "apps/v1", Name = "my-deployment", Uid = "depuid" }],
            },
        })
        .Add(new V1Job
        {
            Metadata = new V1ObjectMeta
            {
                Name = "nightly-123",
                NamespaceProperty = "project1",
                OwnerReferences = [new V1OwnerReference { Kind = "CronJob", ApiVersion = "batch/v1", Name = "nightly", Uid = "cjuid" }],
            },
        });

    [Fact]
    public void The_sdk_env_matches_upstreams_first_TestSDKInjection_case()
    {
        // Given sdk_test.go "SDK env vars not defined": CR attribute foo=hidden, pod annotation foo=bar, UID attributes on
        var inst = Sdk("""
              resource:
                addK8sUIDAttributes: true
                resourceAttributes: {foo: hidden}
            """);
        var pod = SdkPod(
            "app:v1@sha256:232a180dbcbcfa7250917507f3827d88a9ae89bb1cdd8fe3ac4db7b764ebb25a",
            new Dictionary<string, string> { ["resource.opentelemetry.io/foo"] = "bar" },
            new Dictionary<string, string> { ["app.kubernetes.io/name"] = "app-name", ["app.kubernetes.io/version"] = "v1" },
            new V1OwnerReference { Kind = "ReplicaSet", Name = "my-replicaset", Uid = "rsuid", ApiVersion = "apps/v1" });
        pod.Metadata.Uid = "pod-uid";

        // When
        var result = Mutate(pod, Namespace("project1"), [inst], Owners());

        // Then (the sdk injector adds OTEL_NODE_IP/OTEL_POD_IP first; upstream's unit test calls the common part alone)
        Assert.Equal(
        [
            "OTEL_NODE_IP<-status.hostIP",
            "OTEL_POD_IP<-status.podIP",
            "OTEL_SERVICE_NAME=my-deployment",
            "OTEL_EXPORTER_OTLP_ENDPOINT=https://collector:4317",
            "OTEL_RESOURCE_ATTRIBUTES_POD_NAME<-metadata.name",
            "OTEL_RESOURCE_ATTRIBUTES_NODE_NAME<-spec.nodeName",
            "OTEL_PROPAGATORS=b3,jaeger",
            "OTEL_TRACES_SAMPLER=parentbased_traceidratio",
            "OTEL_TRACES_SAMPLER_ARG=0.25",
            "OTEL_RESOURCE_ATTRIBUTES=foo=bar,k8s.container.name=application-name,k8s.deployment.name=my-deployment,k8s.deployment.uid=depuid," +
            "k8s.namespace.name=project1,k8s.node.name=$(OTEL_RESOURCE_ATTRIBUTES_NODE_NAME),k8s.pod.name=$(OTEL_RESOURCE_ATTRIBUTES_POD_NAME)," +
            "k8s.pod.uid=pod-uid,k8s.replicaset.name=my-replicaset,k8s.replicaset.uid=rsuid," +
            "service.instance.id=project1.$(OTEL_RESOURCE_ATTRIBUTES_POD_NAME).application-name,service.namespace=project1," +
            "service.version=v1@sha256:232a180dbcbcfa7250917507f3827d88a9ae89bb1cdd8fe3ac4db7b764ebb25a",
        ], Env(result.Container("application-name")));
    }

    [Fact]
    public void A_pod_without_uid_gets_the_uid_from_the_downward_api_when_uid_attributes_are_on()
    {
        var result = Mutate(SdkPod(), Namespace("project1"), [Sdk("  resource: {addK8sUIDAttributes: true}")]);

        Assert.Contains("OTEL_RESOURCE_ATTRIBUTES_POD_UID<-metadata.uid", Env(result.Container("application-name")));
        Assert.Contains("k8s.pod.uid=$(OTEL_RESOURCE_ATTRIBUTES_POD_UID)", Value(result, "OTEL_RESOURCE_ATTRIBUTES"), StringComparison.Ordinal);
    }

    [Fact]
    public void Labels_name_the_service_only_with_useLabelsForResourceAttributes()
    {
        var labels = new Dictionary<string, string> { ["app.kubernetes.io/name"] = "app-name", ["app.kubernetes.io/version"] = "v1" };

        var off = Mutate(SdkPod(labels: labels), Namespace("project1"), [Sdk()]);
        var on = Mutate(SdkPod(labels: labels), Namespace("project1"), [Sdk("  defaults: {useLabelsForResourceAttributes: true}")]);

        Assert.Equal(("app", "latest"), (Value(off, "OTEL_SERVICE_NAME"), Version(off)));
        Assert.Equal(("app-name", "v1"), (Value(on, "OTEL_SERVICE_NAME"), Version(on)));
    }

    public static TheoryData<string, V1OwnerReference[], string> ServiceNames => new()
    {
        { "annotation beats the deployment", [Ref("ReplicaSet", "my-replicaset")], "from-annotation" },
        { "deployment via the replicaset", [Ref("ReplicaSet", "my-replicaset")], "my-deployment" },
        { "replicaset of an unknown deployment", [Ref("ReplicaSet", "orphan-rs")], "orphan-rs" },
        { "statefulset", [Ref("StatefulSet", "db")], "db" },
        { "daemonset", [Ref("DaemonSet", "agent")], "agent" },
        { "cronjob via its job", [Ref("Job", "nightly-123")], "nightly" },
        { "job", [Ref("Job", "once")], "once" },
        { "pod name", [], "app" },
    };

    [Theory]
    [MemberData(nameof(ServiceNames))]
    public void The_service_name_follows_upstreams_order(string situation, V1OwnerReference[] owners, string expected)
    {
        // Given
        var annotations = situation.StartsWith("annotation", StringComparison.Ordinal)
            ? new Dictionary<string, string> { ["resource.opentelemetry.io/service.name"] = "from-annotation" }
            : null;
        var pod = SdkPod(annotations: annotations, owners: owners);

        // When
        var result = Mutate(pod, Namespace("project1"), [Sdk()], Owners());

        // Then
        Assert.Equal(expected, Value(result, "OTEL_SERVICE_NAME"));
    }

    [Fact]
    public void With_no_pod_name_the_service_is_named_after_the_container()
    {
        var pod = SdkPod();
        pod.Metadata.Name = null;
        pod.Metadata.GenerateName = "app-";

        var result = Mutate(pod, Namespace("project1"), [Sdk()]);

        Assert.Equal("application-name", Value(result, "OTEL_SERVICE_NAME"));
    }

    [Fact]
    public void A_replicaset_that_cannot_be_read_is_logged_and_the_deployment_is_unknown()
    {
        var pod = SdkPod(owners: Ref("ReplicaSet", "gone"));

        var result = Mutate(pod, Namespace("project1"), [Sdk()]);

        Assert.Equal("gone", Value(result, "OTEL_SERVICE_NAME"));
        Assert.Contains(result.Logs, l => l.Message == "failed to get replicaset" && l.Error!.StartsWith("ReplicaSet.apps \"gone\" not found", StringComparison.Ordinal));
    }

    [Fact]
    public void Existing_container_settings_win_and_new_attributes_are_appended()
    {
        // Given sdk_test.go "SDK env vars defined": the container sets name, endpoint, propagators, sampler, attributes
        var pod = SdkPod();
        pod.Spec.Containers[0].Name = null;
        pod.Spec.Containers[0].Env =
        [
            new V1EnvVar { Name = "OTEL_SERVICE_NAME", Value = "explicit-name" },
            new V1EnvVar { Name = "OTEL_EXPORTER_OTLP_ENDPOINT", Value = "explicitly_set" },
            new V1EnvVar { Name = "OTEL_PROPAGATORS", Value = "b3" },
            new V1EnvVar { Name = "OTEL_TRACES_SAMPLER", Value = "always_on" },
            new V1EnvVar { Name = "OTEL_RESOURCE_ATTRIBUTES", Value = "foo=bar,k8s.container.name=other,service.version=explicit-version,service.namespace=explicit-ns,service.instance.id=explicit-id," },
        ];

        // When
        var result = Mutate(pod, Namespace("project1"), [Sdk("  resource: {resourceAttributes: {fromcr: val}}")]);

        // Then
        Assert.Equal(
        [
            "OTEL_NODE_IP<-status.hostIP",
            "OTEL_POD_IP<-status.podIP",
            "OTEL_SERVICE_NAME=explicit-name",
            "OTEL_EXPORTER_OTLP_ENDPOINT=explicitly_set",
            "OTEL_PROPAGATORS=b3",
            "OTEL_TRACES_SAMPLER=always_on",
            "OTEL_RESOURCE_ATTRIBUTES_POD_NAME<-metadata.name",
            "OTEL_RESOURCE_ATTRIBUTES_NODE_NAME<-spec.nodeName",
            "OTEL_RESOURCE_ATTRIBUTES=foo=bar,k8s.container.name=other,service.version=explicit-version,service.namespace=explicit-ns,service.instance.id=explicit-id," +
            "fromcr=val,k8s.namespace.name=project1,k8s.node.name=$(OTEL_RESOURCE_ATTRIBUTES_NODE_NAME),k8s.pod.name=$(OTEL_RESOURCE_ATTRIBUTES_POD_NAME)",
        ], Env(result.Pod.Spec.Containers[0]));
    }

    [Theory]
    [InlineData("app:latest", "latest")]
    [InlineData("otel-lab/checkout:1.0.0", "1.0.0")]
    [InlineData("fictional.registry.example:10443/imagename:latest", "latest")]
    [InlineData("fictional.registry.example:10443/imagename", null)]
    [InlineData("app@sha256:232a180dbcbcfa7250917507f3827d88a9ae89bb1cdd8fe3ac4db7b764ebb25a", "sha256:232a180dbcbcfa7250917507f3827d88a9ae89bb1cdd8fe3ac4db7b764ebb25a")]
    [InlineData("App:1", null)]
    [InlineData("app", null)]
    public void The_service_version_comes_from_the_image_reference(string image, string? expected)
    {
        var result = Mutate(SdkPod(image), Namespace("project1"), [Sdk()]);

        Assert.Equal(expected, Version(result));
    }

    private static string? Version(PodMutationResult r) =>
        Value(r, "OTEL_RESOURCE_ATTRIBUTES")!.Split(',').Select(kv => kv.Split('=', 2)).Where(kv => kv[0] == "service.version").Select(kv => kv[1]).SingleOrDefault();

    private static V1OwnerReference Ref(string kind, string name) => new() { Kind = kind, Name = name, ApiVersion = "apps/v1", Uid = name + "-uid" };
}
