using OtelLab.Tests.Support;
using System.Text.Json.Nodes;
using OtelLab.Sim.Cluster;

namespace OtelLab.Tests.Sim.ApiServer;

/// <summary>
/// OpenTelemetryCollector v1alpha1 served beside the storage version v1beta1, converted as the operator's webhook
/// converts (apis/v1alpha1/convert.go), with the real kubectl 1.32 and 1.27.
/// </summary>
[Trait("Category", "Lab")]
public sealed class KubectlCollectorV1Alpha1Tests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{


    [Theory(Timeout = LabTestTimeout.Milliseconds)]
    [InlineData(32)]
    [InlineData(27)]
    public async Task Kubectl_gets_the_collectors_as_v1alpha1_with_the_crds_deprecation_warning(int minor)
    {
        var (code, stdout, stderr) = await Kubectl.RunAsync(fixture, Kubectl.Version(minor), "get", "opentelemetrycollectors.v1alpha1.opentelemetry.io", "-n", "observability");
        var config = await Kubectl.RunAsync(fixture, Kubectl.Version(minor), "get", "opentelemetrycollectors.v1alpha1.opentelemetry.io", "otel-gateway", "-n", "observability",
            "-o", "jsonpath={.apiVersion} {.spec.config}");

        Assert.True(code == 0, stderr);
        Assert.Equal(["otel-agent", "otel-gateway", "otel-prometheus"], stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(' ')[0]).Where(n => n.StartsWith("otel-", StringComparison.Ordinal)));
        Assert.Contains("Warning: OpenTelemetryCollector v1alpha1 is deprecated. Migrate to v1beta1.", stderr, StringComparison.Ordinal);

        // v1alpha1's spec.config is the YAML text of v1beta1's object
        Assert.True(config.ExitCode == 0, config.Err);
        Assert.StartsWith("opentelemetry.io/v1alpha1 ", config.Out, StringComparison.Ordinal);
        Assert.StartsWith("opentelemetry.io/v1alpha1 receivers:\n", config.Out, StringComparison.Ordinal);
        Assert.Matches("(?m)^service:$", config.Out);
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Discovery_serves_both_versions_with_v1beta1_preferred()
    {
        var (code, stdout, stderr) = await Kubectl.RunAsync(fixture, Kubectl.Default, "api-versions");
        var explained = await Kubectl.RunAsync(fixture, Kubectl.Default, "explain", "opentelemetrycollectors.spec.config", "--api-version=opentelemetry.io/v1alpha1");

        Assert.True(code == 0, stderr);
        Assert.Contains("opentelemetry.io/v1alpha1", stdout.Split('\n'));
        Assert.Contains("opentelemetry.io/v1beta1", stdout.Split('\n'));
        Assert.True(explained.ExitCode == 0, explained.Err);
        Assert.Contains("VERSION:    v1alpha1", explained.Out, StringComparison.Ordinal);
        Assert.Contains("FIELD: config <string>", explained.Out, StringComparison.Ordinal);
    }

    [Theory(Timeout = LabTestTimeout.Milliseconds)]
    [InlineData(32)]
    [InlineData(27)]
    public async Task A_v1alpha1_manifest_is_created_stored_as_v1beta1_and_a_change_is_patched_through_v1alpha1(int minor)
    {
        var name = $"alpha-{minor}";
        var file = await WriteAsync(name, "3", "debug");

        var created = await Kubectl.RunAsync(fixture, Kubectl.Version(minor), "apply", "-f", file);
        var stored = await StoredAsync(name);

        Assert.True(created.ExitCode == 0, created.Err);
        Assert.Equal($"opentelemetrycollector.opentelemetry.io/{name} created", created.Out.Trim());

        // Stored as v1beta1: config an object, the deprecated maxReplicas in the autoscaler, updateStrategy renamed
        Assert.Equal("opentelemetry.io/v1beta1", (string?)stored["apiVersion"]);
        Assert.Equal("debug", (string?)stored["spec"]!["config"]!["service"]!["pipelines"]!["traces"]!["exporters"]![0]);
        Assert.Equal(3, (int)stored["spec"]!["autoscaler"]!["maxReplicas"]!);
        Assert.Null(stored["spec"]!["maxReplicas"]);
        Assert.Equal("RollingUpdate", (string?)stored["spec"]!["daemonSetUpdateStrategy"]!["type"]);

        // A change in the v1alpha1 manifest is a patch through v1alpha1 that lands in v1beta1
        var changed = await WriteAsync(name, "5", "otlp");
        var configured = await Kubectl.RunAsync(fixture, Kubectl.Version(minor), "apply", "-f", changed);
        var after = await StoredAsync(name);
        Assert.True(configured.ExitCode == 0, configured.Err);
        Assert.Equal($"opentelemetrycollector.opentelemetry.io/{name} configured", configured.Out.Trim());
        // convert.go tov1beta1Autoscaler: the deprecated maxReplicas fills the autoscaler's only when that is unset,
        // and the live v1alpha1 object already carries autoscaler.maxReplicas 3: the change does not land.
        Assert.Equal(3, (int)after["spec"]!["autoscaler"]!["maxReplicas"]!);
        Assert.Equal("otlp", (string?)after["spec"]!["config"]!["service"]!["pipelines"]!["traces"]!["exporters"]![0]);
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_v1alpha1_collector_with_a_bad_mode_is_refused_against_the_v1alpha1_schema()
    {
        var file = Path.Combine(fixture.TempPath, "alpha-bad.yaml");
        await File.WriteAllTextAsync(file, """
            apiVersion: opentelemetry.io/v1alpha1
            kind: OpenTelemetryCollector
            metadata: { name: alpha-bad, namespace: observability }
            spec:
              mode: statefullset
              config: "receivers: {}"
            """, TestContext.Current.CancellationToken);

        var (code, stdout, stderr) = await Kubectl.RunAsync(fixture, Kubectl.Default, "apply", "-f", file);

        Assert.True(code == 1, stdout + stderr);
        Assert.Contains("The OpenTelemetryCollector \"alpha-bad\" is invalid: spec.mode: Unsupported value: \"statefullset\"", stderr, StringComparison.Ordinal);
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_v1alpha1_config_that_is_not_yaml_fails_as_the_conversion_webhook_does()
    {
        var file = Path.Combine(fixture.TempPath, "alpha-badconfig.yaml");
        await File.WriteAllTextAsync(file, """
            apiVersion: opentelemetry.io/v1alpha1
            kind: OpenTelemetryCollector
            metadata: { name: alpha-badconfig, namespace: observability }
            spec:
              mode: deployment
              config: "receivers: [unclosed"
            """, TestContext.Current.CancellationToken);

        var (code, stdout, stderr) = await Kubectl.RunAsync(fixture, Kubectl.Default, "apply", "-f", file);

        Assert.True(code == 1, stdout + stderr);
        Assert.Contains("could not convert config json to v1beta1.Config", stderr, StringComparison.Ordinal);
        Assert.Null(fixture.Cluster.Get(ResourceKind.Of("OpenTelemetryCollector"), "observability", "alpha-badconfig"));
    }

    private async Task<JsonNode> StoredAsync(string name)
    {
        var (code, stdout, stderr) = await Kubectl.RunAsync(fixture, Kubectl.Default, "get", "opentelemetrycollectors.v1beta1.opentelemetry.io", name, "-n", "observability", "-o", "json");
        Assert.True(code == 0, stderr);
        return JsonNode.Parse(stdout)!;
    }

    private async Task<string> WriteAsync(string name, string maxReplicas, string exporter)
    {
        var file = Path.Combine(fixture.TempPath, $"{name}-{maxReplicas}.yaml");
        await File.WriteAllTextAsync(file, $$"""
            apiVersion: opentelemetry.io/v1alpha1
            kind: OpenTelemetryCollector
            metadata: { name: {{name}}, namespace: observability }
            spec:
              mode: deployment
              maxReplicas: {{maxReplicas}}
              updateStrategy: { type: RollingUpdate }
              config: |
                receivers:
                  otlp:
                    protocols:
                      grpc: {}
                exporters:
                  debug: {}
                  otlp:
                    endpoint: otel-gateway-collector:4317
                service:
                  pipelines:
                    traces:
                      receivers: [otlp]
                      exporters: [{{exporter}}]
            """, TestContext.Current.CancellationToken);
        return file;
    }
}
