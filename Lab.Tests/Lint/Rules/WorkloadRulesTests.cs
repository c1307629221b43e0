using OtelLab.Lint;
using OtelLab.Lint.Rules;
using static OtelLab.Tests.Lint.LintFixture;

namespace OtelLab.Tests.Lint.Rules;

[Trait("Category", "Unit")]
public sealed class WorkloadRulesTests
{
    private const string DeploymentWithMetaAnnotation = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: checkout
          namespace: payments
          annotations:
            instrumentation.opentelemetry.io/inject-java: "true"
        spec:
          selector: {matchLabels: {app: checkout}}
          template:
            metadata: {labels: {app: checkout}}
            spec: {containers: [{name: app, image: checkout:1}]}
        """;

    private const string DeploymentWithTemplateAnnotation = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: checkout, namespace: payments}
        spec:
          selector: {matchLabels: {app: checkout}}
          template:
            metadata:
              labels: {app: checkout}
              annotations: {instrumentation.opentelemetry.io/inject-java: "true"}
            spec: {containers: [{name: app, image: checkout:1}]}
        """;

    [Fact]
    public void Inject_annotation_on_the_deployment_metadata_is_an_error_at_the_annotation_line()
    {
        var f = Assert.Single(Run(new InjectAnnotationOnWorkloadRule(), DeploymentWithMetaAnnotation));

        Assert.Equal(Severity.Error, f.Severity);
        Assert.Equal(7, f.Location.Line);
        Assert.Contains("Deployment payments/checkout", f.Message, StringComparison.Ordinal);
        Assert.Contains("spec.template.metadata.annotations", f.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Inject_annotation_on_the_pod_template_passes() =>
        Assert.Empty(Run(new InjectAnnotationOnWorkloadRule(), DeploymentWithTemplateAnnotation));

    [Fact]
    public void Core_image_with_contrib_components_crash_loops_with_upstreams_error()
    {
        var config = """
            receivers: {otlp: {}}
            processors: {k8sattributes: {}, batch: {}}
            exporters: {debug: {}}
            service: {pipelines: {traces: {receivers: [otlp], processors: [k8sattributes, batch], exporters: [debug]}}}
            """;

        var f = Assert.Single(Run(new ComponentMissingFromDistributionRule(), Collector(image: "otel/opentelemetry-collector:0.105.0", config: config)));

        Assert.Contains("unknown type: \"k8sattributes\" for id: \"k8sattributes\"", f.Message, StringComparison.Ordinal);
        Assert.Contains("otel/opentelemetry-collector-contrib:0.105.0", f.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void K8s_distribution_has_no_datadog_exporter()
    {
        var config = """
            receivers: {otlp: {}}
            exporters: {datadog: {api: {key: "${file:/k}"}}}
            service: {pipelines: {traces: {receivers: [otlp], exporters: [datadog]}}}
            """;

        var f = Assert.Single(Run(new ComponentMissingFromDistributionRule(), Collector(image: "ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-k8s:0.105.0", config: config)));

        Assert.Contains("no exporter \"datadog\"", f.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Logging_exporter_is_gone_from_recent_images()
    {
        var config = """
            receivers: {otlp: {}}
            exporters: {logging: {}}
            service: {pipelines: {traces: {receivers: [otlp], exporters: [logging]}}}
            """;

        Assert.Contains("use the debug exporter", Assert.Single(Run(new ComponentMissingFromDistributionRule(), Collector(image: "otel/opentelemetry-collector-contrib:0.111.0", config: config))).Message, StringComparison.Ordinal);
        Assert.Empty(Run(new ComponentMissingFromDistributionRule(), Collector(image: "otel/opentelemetry-collector-contrib:0.105.0", config: config)));
    }

    [Fact]
    public void Contrib_image_with_contrib_components_passes()
    {
        var config = """
            receivers: {otlp: {}, prometheus: {config: {scrape_configs: []}}}
            processors: {k8sattributes: {}, tail_sampling: {policies: []}}
            exporters: {datadog: {api: {key: "${file:/k}"}}, loadbalancing: {}}
            service: {pipelines: {traces: {receivers: [otlp], processors: [k8sattributes, tail_sampling], exporters: [datadog, loadbalancing]}}}
            """;

        Assert.Empty(Run(new ComponentMissingFromDistributionRule(), Collector(config: config)));
    }

    [Theory]
    [InlineData("deployment", "consistent-hashing", "the OpenTelemetry Collector mode is set to deployment, which does not support the target allocation deployment")]
    [InlineData("daemonset", "consistent-hashing", "the OpenTelemetry Collector mode is set to daemonset, which must be used with target allocation strategy per-node ")]
    [InlineData("statefulset", "per-node", "target allocation strategy per-node is only supported in OpenTelemetry Collector mode daemonset")]
    public void Target_allocator_modes_the_webhook_rejects_carry_upstreams_message(string mode, string strategy, string upstream)
    {
        var f = Assert.Single(Run(new TargetAllocatorModeRule(), Collector(mode: mode, extraSpec: $"targetAllocator: {{enabled: true, allocationStrategy: {strategy}}}")));

        Assert.Contains($"admission webhook \"vopentelemetrycollectorcreateupdatebeta.kb.io\" denied the request: {upstream}", f.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("statefulset", "consistent-hashing")]
    [InlineData("statefulset", "least-weighted")]
    [InlineData("daemonset", "per-node")]
    public void Target_allocator_modes_the_webhook_accepts_pass(string mode, string strategy) =>
        Assert.Empty(Run(new TargetAllocatorModeRule(), Collector(mode: mode, extraSpec: $"targetAllocator: {{enabled: true, allocationStrategy: {strategy}}}")));

    [Fact]
    public void ServiceAccount_named_on_the_CR_but_never_created_is_an_error()
    {
        var f = Assert.Single(Run(new ServiceAccountMissingRule(), Collector(serviceAccount: "otel-gateway-collector")));

        Assert.Contains("otel-gateway-collector", f.Message, StringComparison.Ordinal);
        Assert.Equal(7, f.Location.Line);
    }

    [Fact]
    public void ServiceAccount_created_or_left_to_the_operator_passes()
    {
        Assert.Empty(Run(new ServiceAccountMissingRule(), Collector(serviceAccount: "sa"), ServiceAccount("sa")));
        Assert.Empty(Run(new ServiceAccountMissingRule(), Collector()));
    }
}
