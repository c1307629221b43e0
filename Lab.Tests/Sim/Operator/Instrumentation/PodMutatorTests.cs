using OtelLab.Model.Crds;
using k8s.Models;
using OtelLab.Sim.Operator.Instrumentation;
using static OtelLab.Tests.Sim.Operator.Instrumentation.WebhookFixture;
using InstrumentationCr = OtelLab.Model.Crds.Instrumentation;

namespace OtelLab.Tests.Sim.Operator.Instrumentation;

/// <summary>Instrumentation selection, annotation precedence, skips and failures (upstream podmutator_test.go, annotation_test.go).</summary>
[Trait("Category", "Unit")]
public sealed class PodMutatorTests
{
    private static InstrumentationCr Inst(string name, string ns) => InstrumentationFrom($$"""
        apiVersion: opentelemetry.io/v1alpha1
        kind: Instrumentation
        metadata: {name: {{name}}, namespace: {{ns}}}
        spec:
          exporter: {endpoint: "http://{{name}}:4318"}
          java: {image: "java:1"}
        """);

    private static V1Pod JavaPod(string? inject, string ns = "apps") =>
        Pod(ns, "app-0", inject is null ? null : new Dictionary<string, string> { [InstrumentationAnnotations.InjectJava] = inject }, Container("app"));

    private static string? Endpoint(PodMutationResult r) =>
        r.Container("app").Env?.SingleOrDefault(e => e.Name == "OTEL_EXPORTER_OTLP_ENDPOINT")?.Value;

    [Theory]
    [InlineData("true", "http://only:4318")]
    [InlineData("TRUE", "http://only:4318")]
    [InlineData("only", "http://only:4318")]
    [InlineData("other/remote", "http://remote:4318")]
    public void The_annotation_value_selects_the_instrumentation(string value, string expectedEndpoint)
    {
        // Given one Instrumentation in the pod's namespace and one elsewhere
        var insts = new[] { Inst("only", "apps"), Inst("remote", "other") };

        // When
        var result = Mutate(JavaPod(value), Namespace("apps"), insts);

        // Then
        Assert.True(result.Mutated);
        Assert.Equal(expectedEndpoint, Endpoint(result));
    }

    [Theory]
    [InlineData("false")]
    [InlineData("False")]
    [InlineData("")]
    [InlineData(null)]
    public void False_empty_or_absent_leaves_the_pod_unmodified_without_events(string? value)
    {
        var result = Mutate(JavaPod(value), Namespace("apps"), [Inst("only", "apps")]);

        Assert.False(result.Mutated);
        Assert.Null(result.AdmissionError);
        Assert.Empty(result.Events);
        Assert.Null(result.Container("app").Env);
    }

    [Fact]
    public void True_with_no_instrumentation_in_the_namespace_is_an_error_and_the_pod_is_created_unmodified()
    {
        // Given the only Instrumentation lives in another namespace
        var pod = JavaPod("true");

        // When
        var result = Mutate(pod, Namespace("apps"), [Inst("remote", "other")]);

        // Then
        Assert.False(result.Mutated);
        Assert.Equal("no OpenTelemetry Instrumentation instances available", result.AdmissionError);
        var log = Assert.Single(result.Logs);
        Assert.Equal(("error", "failed to select an OpenTelemetry Instrumentation instance for this pod"), (log.Level, log.Message));
        Assert.Equal("no OpenTelemetry Instrumentation instances available", log.Error);
        Assert.Equal(k8s.KubernetesJson.Serialize(pod), k8s.KubernetesJson.Serialize(result.Pod));
    }

    [Fact]
    public void True_with_two_instrumentations_in_the_namespace_is_ambiguous()
    {
        var result = Mutate(JavaPod("true"), Namespace("apps"), [Inst("a", "apps"), Inst("b", "apps")]);

        Assert.False(result.Mutated);
        Assert.Equal("multiple OpenTelemetry Instrumentation instances available, cannot determine which one to select", result.AdmissionError);
    }

    [Theory]
    [InlineData("missing", "Instrumentation.opentelemetry.io \"missing\" not found")]
    [InlineData("other/only", "Instrumentation.opentelemetry.io \"only\" not found")]
    public void A_name_that_does_not_exist_is_not_found(string value, string expected)
    {
        // Given "only" exists in apps, not in other
        var result = Mutate(JavaPod(value), Namespace("apps"), [Inst("only", "apps")]);

        Assert.False(result.Mutated);
        Assert.Equal(expected, result.AdmissionError);
        Assert.Equal(expected, Assert.Single(result.Logs).Error);
    }

    // The rules of upstream annotation.go annotationValue: (pod value, namespace value) → effective value.
    [Theory]
    [InlineData("", "", "")]
    [InlineData("true", "", "true")]
    [InlineData("", "true", "true")]
    [InlineData("false", "true", "false")]
    [InlineData("some-instance", "true", "some-instance")]
    [InlineData("true", "false", "true")]
    [InlineData("TRUE", "False", "TRUE")]
    [InlineData("true", "some-instance", "some-instance")]
    [InlineData("some-instance-from-pod", "some-instance", "some-instance-from-pod")]
    [InlineData("", "false", "false")]
    public void Pod_and_namespace_annotations_combine_like_upstream(string pod, string ns, string expected)
    {
        var key = InstrumentationAnnotations.InjectJava;
        var podAnnotations = pod.Length == 0 ? null : new Dictionary<string, string> { [key] = pod };
        var nsAnnotations = ns.Length == 0 ? null : new Dictionary<string, string> { [key] = ns };

        Assert.Equal(expected, InstrumentationSelection.EffectiveValue(podAnnotations, nsAnnotations, key));
    }

    [Fact]
    public void A_namespace_annotation_instruments_every_new_pod_and_names_the_instrumentation()
    {
        // Given the namespace (not the pod) asks for the "second" instrumentation
        var ns = Namespace("apps", new Dictionary<string, string> { [InstrumentationAnnotations.InjectJava] = "second" });

        // When a pod saying "true" is created
        var result = Mutate(JavaPod("true"), ns, [Inst("first", "apps"), Inst("second", "apps")]);

        // Then the namespace's instance name wins over the pod's "true"
        Assert.Equal("http://second:4318", Endpoint(result));
    }

    [Fact]
    public void An_annotation_on_the_Deployment_metadata_is_never_seen_by_the_webhook()
    {
        // Given a Deployment annotated on its own metadata, not on its pod template
        var deployment = Deployment("""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: checkout
              namespace: apps
              annotations: {instrumentation.opentelemetry.io/inject-java: "true"}
            spec:
              selector: {matchLabels: {app: checkout}}
              template:
                metadata: {labels: {app: checkout}}
                spec: {containers: [{name: app, image: "c:1"}]}
            """);
        var (pod, owners) = PodFor(deployment);

        // When the ReplicaSet's pod is created (the webhook only sees pods, on CREATE)
        var result = Mutate(pod, Namespace("apps"), [Inst("only", "apps")], owners);

        // Then nothing is injected and nothing warns: only a debug line in the operator log
        Assert.False(result.Mutated);
        Assert.Null(result.AdmissionError);
        Assert.Empty(result.Events);
        var log = Assert.Single(result.Logs);
        Assert.Equal(("debug", "annotation not present in deployment, skipping instrumentation injection"), (log.Level, log.Message));
    }

    [Fact]
    public void A_pod_with_the_java_init_container_is_already_instrumented()
    {
        var pod = JavaPod("true");
        pod.Spec.InitContainers = [new V1Container { Name = "opentelemetry-auto-instrumentation-java", Image = "x" }];

        var result = Mutate(pod, Namespace("apps"), [Inst("only", "apps")]);

        Assert.False(result.Mutated);
        Assert.Equal("Skipping pod instrumentation - already instrumented", Assert.Single(result.Logs).Message);
    }

    [Fact]
    public void A_container_with_OTEL_RESOURCE_ATTRIBUTES_NODE_NAME_marks_the_pod_instrumented_unless_it_is_otc_container()
    {
        // Given the node-name variable only in the collector sidecar
        var sidecarOnly = JavaPod("true");
        sidecarOnly.Spec.Containers.Add(Container("otc-container", "otel/col:1", new V1EnvVar { Name = "OTEL_RESOURCE_ATTRIBUTES_NODE_NAME", Value = "n" }));
        var inApp = JavaPod("true");
        inApp.Spec.Containers[0].Env = [new V1EnvVar { Name = "OTEL_RESOURCE_ATTRIBUTES_NODE_NAME", Value = "n" }];

        // When
        var sidecarResult = Mutate(sidecarOnly, Namespace("apps"), [Inst("only", "apps")]);
        var appResult = Mutate(inApp, Namespace("apps"), [Inst("only", "apps")]);

        // Then
        Assert.True(sidecarResult.Mutated);
        Assert.False(appResult.Mutated);
    }

    [Fact]
    public void A_disabled_language_records_an_InstrumentationRequestRejected_event()
    {
        // Given Java support switched off in the operator
        var result = Mutate(JavaPod("true"), Namespace("apps"), [Inst("only", "apps")], options: new PodMutatorOptions { EnableJava = false });

        // Then
        Assert.False(result.Mutated);
        var e = Assert.Single(result.Events);
        Assert.Equal(("Warning", "InstrumentationRequestRejected", "support for Java auto instrumentation is not enabled"), (e.Type, e.Reason, e.Message));
    }

    [Fact]
    public void Go_is_off_by_default_like_upstream()
    {
        var pod = Pod("apps", "p", new Dictionary<string, string> { [InstrumentationAnnotations.InjectGo] = "true" }, Container("app"));

        var result = Mutate(pod, Namespace("apps"), [Inst("only", "apps")]);

        Assert.Equal("support for Go auto instrumentation is not enabled", Assert.Single(result.Events).Message);
    }

    [Fact]
    public void Apache_httpd_injection_is_not_emulated_and_says_so()
    {
        var pod = Pod("apps", "p", new Dictionary<string, string> { [InstrumentationAnnotations.InjectApacheHttpd] = "true" }, Container("app"));

        var result = Mutate(pod, Namespace("apps"), [Inst("only", "apps")]);

        Assert.False(result.Mutated);
        Assert.Contains(result.Logs, l => l.Level == OperatorLogEntry.LabLevel && l.Message.Contains("Apache HTTPD injection is not emulated", StringComparison.Ordinal));
    }

    [Fact]
    public void The_input_pod_is_not_changed()
    {
        var pod = JavaPod("true");
        var before = k8s.KubernetesJson.Serialize(pod);

        var result = Mutate(pod, Namespace("apps"), [Inst("only", "apps")]);

        Assert.True(result.Mutated);
        Assert.Equal(before, k8s.KubernetesJson.Serialize(pod));
    }
}
