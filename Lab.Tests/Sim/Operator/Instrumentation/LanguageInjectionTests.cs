using OtelLab.Sim.Operator.Instrumentation;
using static OtelLab.Tests.Sim.Operator.Instrumentation.WebhookFixture;

namespace OtelLab.Tests.Sim.Operator.Instrumentation;

/// <summary>
/// Per-language injection, modelled on upstream tests/e2e-instrumentation/instrumentation-{java,python,nodejs} (same
/// Instrumentation and app) and internal/instrumentation/sdk_test.go TestInjectJava/NodeJS/Python/DotNet. The env order
/// is the one today's sdk.go produces: language env, then OTEL_NODE_IP/OTEL_POD_IP prepended, spec.env, the language's
/// own variables and defaults, then the common SDK block (older e2e asserts put JAVA_TOOL_OPTIONS before spec.env).
/// </summary>
[Trait("Category", "Unit")]
public sealed class LanguageInjectionTests
{
    private static string App(string name, string language, string image) => $$$"""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: {{{name}}}, namespace: e2e}
        spec:
          selector: {matchLabels: {app: {{{name}}}}}
          template:
            metadata:
              labels: {app: {{{name}}}}
              annotations: {instrumentation.opentelemetry.io/inject-{{{language}}}: "true"}
            spec:
              containers:
                - name: myapp
                  image: {{{image}}}
                  ports: [{containerPort: 8080}]
        """;

    private const string ResourceAttributesTail =
        "k8s.namespace.name=e2e,k8s.node.name=$(OTEL_RESOURCE_ATTRIBUTES_NODE_NAME),k8s.pod.name=$(OTEL_RESOURCE_ATTRIBUTES_POD_NAME)," +
        "k8s.replicaset.name={0}-" + TemplateHash + ",service.instance.id=e2e.$(OTEL_RESOURCE_ATTRIBUTES_POD_NAME).myapp,service.namespace=e2e,service.version=main";

    [Fact]
    public void Java_gets_the_agent_init_container_a_per_container_mount_and_the_env_in_upstream_order()
    {
        // Given upstream's e2e instrumentation-java Instrumentation and app
        var inst = InstrumentationFrom("""
            apiVersion: opentelemetry.io/v1alpha1
            kind: Instrumentation
            metadata: {name: java, namespace: e2e}
            spec:
              env:
                - {name: OTEL_TRACES_SAMPLER, value: always_on}
                - {name: OTEL_EXPORTER_OTLP_PROTOCOL, value: http/protobuf}
                - {name: OTEL_LOGS_EXPORTER, value: none}
              exporter: {endpoint: "http://localhost:4318"}
              propagators: [jaeger, b3]
              java:
                image: ghcr.io/open-telemetry/opentelemetry-operator/autoinstrumentation-java:2.6.0
                env:
                  - {name: OTEL_JAVAAGENT_DEBUG, value: "true"}
                  - {name: OTEL_INSTRUMENTATION_JDBC_ENABLED, value: "false"}
            """);
        var (pod, owners) = PodFor(Deployment(App("my-java", "java", "ghcr.io/open-telemetry/opentelemetry-operator/e2e-test-app-java:main")));

        // When the pod is created
        var result = Mutate(pod, Namespace("e2e"), [inst], owners);

        // Then
        Assert.True(result.Mutated);
        Assert.Null(result.AdmissionError);
        var app = result.Container("myapp");
        Assert.Equal(
        [
            "OTEL_NODE_IP<-status.hostIP",
            "OTEL_POD_IP<-status.podIP",
            "OTEL_JAVAAGENT_DEBUG=true",
            "OTEL_INSTRUMENTATION_JDBC_ENABLED=false",
            "OTEL_TRACES_SAMPLER=always_on",
            "OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf",
            "OTEL_LOGS_EXPORTER=none",
            "JAVA_TOOL_OPTIONS= -javaagent:/otel-auto-instrumentation-java-myapp/javaagent.jar",
            "OTEL_SERVICE_NAME=my-java",
            "OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4318",
            "OTEL_RESOURCE_ATTRIBUTES_POD_NAME<-metadata.name",
            "OTEL_RESOURCE_ATTRIBUTES_NODE_NAME<-spec.nodeName",
            "OTEL_PROPAGATORS=jaeger,b3",
            "OTEL_RESOURCE_ATTRIBUTES=k8s.container.name=myapp,k8s.deployment.name=my-java," + string.Format(ResourceAttributesTail, "my-java"),
        ], Env(app));
        var mount = Assert.Single(app.VolumeMounts);
        Assert.Equal(("opentelemetry-auto-instrumentation-java", "/otel-auto-instrumentation-java-myapp"), (mount.Name, mount.MountPath));
        var init = Assert.Single(result.Pod.Spec.InitContainers);
        Assert.Equal("opentelemetry-auto-instrumentation-java", init.Name);
        Assert.Equal("ghcr.io/open-telemetry/opentelemetry-operator/autoinstrumentation-java:2.6.0", init.Image);
        Assert.Equal(["cp", "/javaagent.jar", "/otel-auto-instrumentation-java/javaagent.jar"], init.Command);
        Assert.Equal(("opentelemetry-auto-instrumentation-java", "/otel-auto-instrumentation-java"), (init.VolumeMounts[0].Name, init.VolumeMounts[0].MountPath));
        var volume = Assert.Single(result.Pod.Spec.Volumes);
        Assert.Equal("opentelemetry-auto-instrumentation-java", volume.Name);
        Assert.Equal("200Mi", volume.EmptyDir.SizeLimit.ToString());
    }

    [Fact]
    public void Python_sets_PYTHONPATH_before_spec_env_and_its_exporter_defaults_only_where_unset()
    {
        // Given upstream's e2e instrumentation-python Instrumentation (python env sets the traces exporter and endpoint)
        var inst = InstrumentationFrom("""
            apiVersion: opentelemetry.io/v1alpha1
            kind: Instrumentation
            metadata: {name: python, namespace: e2e}
            spec:
              env:
                - {name: OTEL_EXPORTER_OTLP_TIMEOUT, value: "20000"}
                - {name: OTEL_TRACES_SAMPLER, value: always_on}
                - {name: SPLUNK_TRACE_RESPONSE_HEADER_ENABLED, value: "true"}
              exporter: {endpoint: "http://deployment-collector:4317"}
              propagators: [jaeger, b3]
              sampler: {type: parentbased_traceidratio, argument: "0.25"}
              python:
                image: ghcr.io/open-telemetry/opentelemetry-operator/autoinstrumentation-python:0.66b0-2
                env:
                  - {name: OTEL_LOG_LEVEL, value: debug}
                  - {name: OTEL_TRACES_EXPORTER, value: otlp}
                  - {name: OTEL_EXPORTER_OTLP_ENDPOINT, value: "http://deployment-collector:4318"}
                  - {name: OTEL_PYTHON_DISABLED_INSTRUMENTATIONS, value: system_metrics}
            """);
        var (pod, owners) = PodFor(Deployment(App("my-python", "python", "ghcr.io/open-telemetry/opentelemetry-operator/e2e-test-app-python:main")));

        // When
        var result = Mutate(pod, Namespace("e2e"), [inst], owners);

        // Then: the python env's endpoint wins over spec.exporter; OTEL_TRACES_SAMPLER from spec.env blocks the CR sampler
        var app = result.Container("myapp");
        Assert.Equal(
        [
            "OTEL_NODE_IP<-status.hostIP",
            "OTEL_POD_IP<-status.podIP",
            "OTEL_LOG_LEVEL=debug",
            "OTEL_TRACES_EXPORTER=otlp",
            "OTEL_EXPORTER_OTLP_ENDPOINT=http://deployment-collector:4318",
            "OTEL_PYTHON_DISABLED_INSTRUMENTATIONS=system_metrics",
            "PYTHONPATH=/otel-auto-instrumentation-python/opentelemetry/instrumentation/auto_instrumentation:/otel-auto-instrumentation-python",
            "OTEL_EXPORTER_OTLP_TIMEOUT=20000",
            "OTEL_TRACES_SAMPLER=always_on",
            "SPLUNK_TRACE_RESPONSE_HEADER_ENABLED=true",
            "OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf",
            "OTEL_METRICS_EXPORTER=otlp",
            "OTEL_LOGS_EXPORTER=otlp",
            "OTEL_SERVICE_NAME=my-python",
            "OTEL_RESOURCE_ATTRIBUTES_POD_NAME<-metadata.name",
            "OTEL_RESOURCE_ATTRIBUTES_NODE_NAME<-spec.nodeName",
            "OTEL_PROPAGATORS=jaeger,b3",
            "OTEL_RESOURCE_ATTRIBUTES=k8s.container.name=myapp,k8s.deployment.name=my-python," + string.Format(ResourceAttributesTail, "my-python"),
        ], Env(app));
        Assert.Equal(("opentelemetry-auto-instrumentation-python", "/otel-auto-instrumentation-python"), (app.VolumeMounts[0].Name, app.VolumeMounts[0].MountPath));
        var init = Assert.Single(result.Pod.Spec.InitContainers);
        Assert.Equal("opentelemetry-auto-instrumentation-python", init.Name);
        Assert.Equal(["cp", "-r", "/autoinstrumentation/.", "/otel-auto-instrumentation-python"], init.Command);
    }

    [Fact]
    public void Python_wraps_an_existing_PYTHONPATH_and_musl_platform_copies_the_musl_build()
    {
        // Given a container with its own PYTHONPATH and the musl platform annotation
        var inst = InstrumentationFrom("""
            apiVersion: opentelemetry.io/v1alpha1
            kind: Instrumentation
            metadata: {name: python, namespace: e2e}
            spec: {python: {image: "py:1"}}
            """);
        var pod = Pod("e2e", "p", new Dictionary<string, string>
        {
            [InstrumentationAnnotations.InjectPython] = "true",
            [InstrumentationAnnotations.PythonPlatform] = "musl",
        }, Container("app", "app:1", new k8s.Models.V1EnvVar { Name = "PYTHONPATH", Value = "/app/lib" }));

        // When
        var result = Mutate(pod, Namespace("e2e"), [inst]);

        // Then
        Assert.Contains(
            "PYTHONPATH=/otel-auto-instrumentation-python/opentelemetry/instrumentation/auto_instrumentation:/app/lib:/otel-auto-instrumentation-python",
            Env(result.Container("app")));
        Assert.Equal(["cp", "-r", "/autoinstrumentation-musl/.", "/otel-auto-instrumentation-python"], result.Pod.Spec.InitContainers[0].Command);
    }

    [Fact]
    public void NodeJs_appends_require_to_NODE_OPTIONS_and_defaults_the_metrics_exporter()
    {
        // Given upstream's e2e instrumentation-nodejs shape, with NODE_OPTIONS already set by the app
        var inst = InstrumentationFrom("""
            apiVersion: opentelemetry.io/v1alpha1
            kind: Instrumentation
            metadata: {name: nodejs, namespace: e2e}
            spec:
              env:
                - {name: OTEL_NODEJS_DEBUG, value: "true"}
              exporter: {endpoint: "http://localhost:4317"}
              propagators: [jaeger, b3]
              sampler: {type: parentbased_traceidratio, argument: "1"}
              nodejs: {image: "ghcr.io/open-telemetry/opentelemetry-operator/autoinstrumentation-nodejs:0.52.0"}
            """);
        var pod = Pod("e2e", "my-nodejs", new Dictionary<string, string> { [InstrumentationAnnotations.InjectNodeJs] = "true" },
            Container("myapp", "node-app:1", new k8s.Models.V1EnvVar { Name = "NODE_OPTIONS", Value = "--max-old-space-size=256" }));

        // When
        var result = Mutate(pod, Namespace("e2e"), [inst]);

        // Then
        Assert.Equal(
        [
            "OTEL_NODE_IP<-status.hostIP",
            "OTEL_POD_IP<-status.podIP",
            "NODE_OPTIONS=--max-old-space-size=256 --require /otel-auto-instrumentation-nodejs/autoinstrumentation.js",
            "OTEL_NODEJS_DEBUG=true",
            "OTEL_METRICS_EXPORTER=otlp",
            "OTEL_SERVICE_NAME=my-nodejs",
            "OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4317",
            "OTEL_RESOURCE_ATTRIBUTES_POD_NAME<-metadata.name",
            "OTEL_RESOURCE_ATTRIBUTES_NODE_NAME<-spec.nodeName",
            "OTEL_PROPAGATORS=jaeger,b3",
            "OTEL_TRACES_SAMPLER=parentbased_traceidratio",
            "OTEL_TRACES_SAMPLER_ARG=1",
            "OTEL_RESOURCE_ATTRIBUTES=k8s.container.name=myapp,k8s.namespace.name=e2e,k8s.node.name=$(OTEL_RESOURCE_ATTRIBUTES_NODE_NAME)," +
            "k8s.pod.name=$(OTEL_RESOURCE_ATTRIBUTES_POD_NAME),service.instance.id=e2e.$(OTEL_RESOURCE_ATTRIBUTES_POD_NAME).myapp,service.namespace=e2e,service.version=1",
        ], Env(result.Container("myapp")));
        Assert.Equal("/otel-auto-instrumentation-nodejs", result.Container("myapp").VolumeMounts[0].MountPath);
        var init = Assert.Single(result.Pod.Spec.InitContainers);
        Assert.Equal(("opentelemetry-auto-instrumentation-nodejs", "ghcr.io/open-telemetry/opentelemetry-operator/autoinstrumentation-nodejs:0.52.0"), (init.Name, init.Image));
        Assert.Equal(["cp", "-r", "/autoinstrumentation/.", "/otel-auto-instrumentation-nodejs"], init.Command);
    }

    [Fact]
    public void DotNet_sets_the_profiler_variables_like_upstream_TestInjectDotNet()
    {
        // Given sdk_test.go TestInjectDotNet's Instrumentation and pod
        var inst = InstrumentationFrom("""
            apiVersion: opentelemetry.io/v1alpha1
            kind: Instrumentation
            metadata: {name: dotnet, namespace: ns}
            spec:
              exporter: {endpoint: "https://collector:4318"}
              dotnet: {image: "img:1"}
            """);
        var pod = Pod("ns", string.Empty, new Dictionary<string, string> { [InstrumentationAnnotations.InjectDotNet] = "true" }, Container("app"));

        // When
        var result = Mutate(pod, Namespace("ns"), [inst]);

        // Then
        Assert.Equal(
        [
            "OTEL_NODE_IP<-status.hostIP",
            "OTEL_POD_IP<-status.podIP",
            "CORECLR_ENABLE_PROFILING=1",
            "CORECLR_PROFILER={918728DD-259F-4A6A-AC2B-B85E1B658318}",
            "CORECLR_PROFILER_PATH=/otel-auto-instrumentation-dotnet/linux-x64/OpenTelemetry.AutoInstrumentation.Native.so",
            "DOTNET_STARTUP_HOOKS=/otel-auto-instrumentation-dotnet/net/OpenTelemetry.AutoInstrumentation.StartupHook.dll",
            "DOTNET_ADDITIONAL_DEPS=/otel-auto-instrumentation-dotnet/AdditionalDeps",
            "OTEL_DOTNET_AUTO_HOME=/otel-auto-instrumentation-dotnet",
            "DOTNET_SHARED_STORE=/otel-auto-instrumentation-dotnet/store",
            "OTEL_SERVICE_NAME=app",
            "OTEL_EXPORTER_OTLP_ENDPOINT=https://collector:4318",
            "OTEL_RESOURCE_ATTRIBUTES_POD_NAME<-metadata.name",
            "OTEL_RESOURCE_ATTRIBUTES_NODE_NAME<-spec.nodeName",
            "OTEL_RESOURCE_ATTRIBUTES=k8s.container.name=app,k8s.namespace.name=ns,k8s.node.name=$(OTEL_RESOURCE_ATTRIBUTES_NODE_NAME)," +
            "k8s.pod.name=$(OTEL_RESOURCE_ATTRIBUTES_POD_NAME),service.instance.id=ns.$(OTEL_RESOURCE_ATTRIBUTES_POD_NAME).app,service.namespace=ns,service.version=latest",
        ], Env(result.Container("app")));
        Assert.Equal(["cp", "-r", "/autoinstrumentation/.", "/otel-auto-instrumentation-dotnet"], Assert.Single(result.Pod.Spec.InitContainers).Command);
    }

    [Fact]
    public void Java_appends_the_agent_to_an_existing_JAVA_TOOL_OPTIONS_and_mounts_per_container()
    {
        // Given two containers named for Java, one with its own JAVA_TOOL_OPTIONS
        var inst = InstrumentationFrom("""
            apiVersion: opentelemetry.io/v1alpha1
            kind: Instrumentation
            metadata: {name: java, namespace: ns}
            spec:
              java:
                image: "java:1"
                volumeLimitSize: 300Mi
                resources: {limits: {cpu: 500m, memory: 64Mi}}
            """);
        var pod = Pod("ns", "p", new Dictionary<string, string>
        {
            [InstrumentationAnnotations.InjectJava] = "true",
            [InstrumentationAnnotations.ContainerNames] = "a,b",
        }, Container("a", "a:1", new k8s.Models.V1EnvVar { Name = "JAVA_TOOL_OPTIONS", Value = "-Xmx1g" }), Container("b", "b:1"));

        // When
        var result = Mutate(pod, Namespace("ns"), [inst]);

        // Then
        Assert.Contains("JAVA_TOOL_OPTIONS=-Xmx1g -javaagent:/otel-auto-instrumentation-java-a/javaagent.jar", Env(result.Container("a")));
        Assert.Contains("JAVA_TOOL_OPTIONS= -javaagent:/otel-auto-instrumentation-java-b/javaagent.jar", Env(result.Container("b")));
        Assert.Equal("/otel-auto-instrumentation-java-b", result.Container("b").VolumeMounts[0].MountPath);
        Assert.Equal("300Mi", Assert.Single(result.Pod.Spec.Volumes).EmptyDir.SizeLimit.ToString());
        Assert.Equal("64Mi", Assert.Single(result.Pod.Spec.InitContainers).Resources.Limits["memory"].ToString());
    }

    [Fact]
    public void A_JAVA_TOOL_OPTIONS_from_valueFrom_skips_that_container_but_still_adds_the_init_container()
    {
        // Given JAVA_TOOL_OPTIONS read from a ConfigMap
        var inst = InstrumentationFrom("""
            apiVersion: opentelemetry.io/v1alpha1
            kind: Instrumentation
            metadata: {name: java, namespace: ns}
            spec: {java: {image: "java:1"}}
            """);
        var fromConfigMap = new k8s.Models.V1EnvVar
        {
            Name = "JAVA_TOOL_OPTIONS",
            ValueFrom = new k8s.Models.V1EnvVarSource { ConfigMapKeyRef = new k8s.Models.V1ConfigMapKeySelector { Name = "jvm", Key = "opts" } },
        };
        var pod = Pod("ns", "p", new Dictionary<string, string> { [InstrumentationAnnotations.InjectJava] = "true" }, Container("app", "app:1", fromConfigMap));

        // When
        var result = Mutate(pod, Namespace("ns"), [inst]);

        // Then: upstream logs "Skipping javaagent injection" yet injectJavaagentToPod still runs
        Assert.Equal(["JAVA_TOOL_OPTIONS="], Env(result.Container("app")));
        Assert.Single(result.Pod.Spec.InitContainers);
        Assert.Contains(result.Logs, l => l.Message == "Skipping javaagent injection"
            && l.Error!.StartsWith("the container defines env var value via ValueFrom, envVar: JAVA_TOOL_OPTIONS", StringComparison.Ordinal));
    }
}
