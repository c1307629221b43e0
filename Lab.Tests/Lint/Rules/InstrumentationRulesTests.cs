using OtelLab.Lint.Rules;
using static OtelLab.Tests.Lint.LintFixture;

namespace OtelLab.Tests.Lint.Rules;

[Trait("Category", "Unit")]
public sealed class InstrumentationRulesTests
{
    private static string Instrumentation(string endpoint) => $$$"""
        apiVersion: opentelemetry.io/v1alpha1
        kind: Instrumentation
        metadata: {name: inst, namespace: payments}
        spec:
          exporter:
            endpoint: {{{endpoint}}}
        """;

    private static string Workload(string env = "") => $$$"""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: checkout, namespace: payments}
        spec:
          selector: {matchLabels: {app: c}}
          template:
            metadata:
              labels: {app: c}
              annotations: {instrumentation.opentelemetry.io/inject-java: "inst"}
            spec:
              containers:
                - name: app
                  image: c:1
        {{{env}}}
        """;

    private static string Agent(string ports = "") =>
        Collector(name: "agent", mode: "daemonset", extraSpec: ports);

    [Fact]
    public void Undefined_variable_in_the_endpoint_is_an_error_naming_the_variable_and_workload()
    {
        var f = Assert.Single(Run(new InstrumentationEndpointVariableRule(), Instrumentation("http://$(K8S_NODE_NAME):4318"), Workload()));

        Assert.Contains("$(K8S_NODE_NAME)", f.Message, StringComparison.Ordinal);
        Assert.Equal(6, f.Location.Line);
        Assert.Contains(f.Evidence, e => e.Contains("Deployment payments/checkout", StringComparison.Ordinal));
        Assert.Contains("$(OTEL_NODE_IP):4318", f.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Operator_defined_variable_passes() =>
        Assert.Empty(Run(new InstrumentationEndpointVariableRule(), Instrumentation("http://$(OTEL_NODE_IP):4318"), Workload()));

    [Fact]
    public void Variable_the_workload_defines_itself_passes()
    {
        var env = """
                      env:
                        - name: K8S_NODE_NAME
                          valueFrom: {fieldRef: {fieldPath: spec.nodeName}}
            """;
        Assert.Empty(Run(new InstrumentationEndpointVariableRule(), Instrumentation("http://$(K8S_NODE_NAME):4318"), Workload(env)));
    }

    [Fact]
    public void Node_address_endpoint_without_agent_hostport_is_refused()
    {
        var f = Assert.Single(Run(new InstrumentationEndpointHostPortRule(), Instrumentation("http://$(OTEL_NODE_IP):4318"), Agent()));

        Assert.Contains("hostPort 4318", f.Message, StringComparison.Ordinal);
        Assert.Contains(f.Evidence, e => e.Contains("hostPorts: none", StringComparison.Ordinal));
    }

    [Fact]
    public void Node_address_endpoint_with_agent_hostport_passes() =>
        Assert.Empty(Run(new InstrumentationEndpointHostPortRule(), Instrumentation("http://$(OTEL_NODE_IP):4318"),
            Agent("ports: [{name: otlp-http, port: 4318, hostPort: 4318}]")));

    [Fact]
    public void Service_endpoint_is_not_a_node_address() =>
        Assert.Empty(Run(new InstrumentationEndpointHostPortRule(), Instrumentation("http://agent-collector.observability:4318"), Agent()));

    [Theory]
    [InlineData("missing", "Instrumentation.opentelemetry.io \"missing\" not found")]
    [InlineData("other/inst", "Instrumentation.opentelemetry.io \"inst\" not found")]
    public void Inject_annotation_naming_a_missing_instrumentation_is_an_error(string value, string error)
    {
        var workload = Workload().Replace("inject-java: \"inst\"", $"inject-java: \"{value}\"", StringComparison.Ordinal);

        var f = Assert.Single(Run(new InjectInstrumentationNotFoundRule(), Instrumentation("http://x:4318"), workload));

        Assert.Contains(error, f.Message, StringComparison.Ordinal);
        Assert.Equal(16, f.Location.Line);
    }

    [Fact]
    public void Inject_true_with_two_instrumentations_is_ambiguous()
    {
        var workload = Workload().Replace("inject-java: \"inst\"", "inject-java: \"true\"", StringComparison.Ordinal);
        var second = Instrumentation("http://y:4318").Replace("name: inst", "name: inst2", StringComparison.Ordinal);

        var f = Assert.Single(Run(new InjectInstrumentationNotFoundRule(), Instrumentation("http://x:4318"), second, workload));

        Assert.Contains("multiple OpenTelemetry Instrumentation instances available", f.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Inject_annotation_resolving_to_one_instrumentation_passes()
    {
        Assert.Empty(Run(new InjectInstrumentationNotFoundRule(), Instrumentation("http://x:4318"), Workload()));
        Assert.Empty(Run(new InjectInstrumentationNotFoundRule(), Instrumentation("http://x:4318"),
            Workload().Replace("inject-java: \"inst\"", "inject-java: \"true\"", StringComparison.Ordinal)));
    }
}
