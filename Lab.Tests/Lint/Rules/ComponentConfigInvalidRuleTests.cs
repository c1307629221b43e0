using OtelLab.Lint;
using OtelLab.Lint.Rules;
using OtelLab.Model.Manifests;
using OtelLab.Tests.Support;
using static OtelLab.Tests.Lint.LintFixture;

namespace OtelLab.Tests.Lint.Rules;

[Trait("Category", "Unit")]
public sealed class ComponentConfigInvalidRuleTests
{
    private const string TypoConfig = """
        receivers: {otlp: {protocols: {grpc: {}}}}
        processors:
          batch:
            send_batch_size: 8192
            timout: 5s
        exporters: {debug: {}}
        service: {pipelines: {traces: {receivers: [otlp], processors: [batch], exporters: [debug]}}}
        """;

    [Fact]
    public void A_misspelt_key_is_an_error_at_its_own_line_with_the_crash_text_and_the_near_key()
    {
        // Given a collector whose batch processor has "timout" (file line 12: the CR header takes 7 lines)
        var f = Assert.Single(Run(new ComponentConfigInvalidRule(), Collector(config: TypoConfig)));

        // Then the finding points at the key, quotes the image's error and suggests the key upstream has
        Assert.Equal(Severity.Error, f.Severity);
        Assert.Equal("fixture.yaml:12", f.Location.FileAndLine);
        Assert.Equal("OpenTelemetryCollector observability/gw: processors.batch: '' has invalid keys: timout; the collector refuses to start and the pod crash-loops", f.Message);
        Assert.Equal("`timout` is not a key of processors.batch: did you mean `timeout` (time.Duration, default 200ms)?", f.Fix);
        Assert.Contains(
            "failed to get config: cannot unmarshal the configuration: 1 error(s) decoding:\n\n* error decoding 'processors': error reading configuration for \"batch\": 1 error(s) decoding:\n\n* '' has invalid keys: timout",
            f.Evidence);
    }

    [Fact]
    public void A_wrong_type_points_at_the_value_and_each_problem_is_its_own_finding()
    {
        var config = TypoConfig.Replace("send_batch_size: 8192", "send_batch_size: lots", StringComparison.Ordinal);

        var findings = Run(new ComponentConfigInvalidRule(), Collector(config: config));

        Assert.Equal(["fixture.yaml:11", "fixture.yaml:12"], findings.Select(f => f.Location.FileAndLine).Order(StringComparer.Ordinal));
        Assert.Contains(findings, f => f.Message.Contains("'send_batch_size' expected type 'uint32', got unconvertible type 'string', value: 'lots'", StringComparison.Ordinal)
            && f.Fix == "give processors.batch.send_batch_size a value of Go type uint32 (unquoted)");
    }

    [Fact]
    public void A_reference_resolved_at_run_time_is_not_judged_statically()
    {
        var config = TypoConfig.Replace("timout: 5s", "timeout: ${env:BATCH_TIMEOUT}", StringComparison.Ordinal);

        Assert.Empty(Run(new ComponentConfigInvalidRule(), Collector(config: config)));
    }

    [Fact]
    public void The_image_version_decides_the_typing_an_int_port_is_fine_before_0_105()
    {
        var config = """
            receivers: {otlp: {protocols: {grpc: {}}}}
            exporters: {loadbalancing: {protocol: {otlp: {}}, resolver: {dns: {hostname: gw, port: 4317}}}}
            service: {pipelines: {traces: {receivers: [otlp], exporters: [loadbalancing]}}}
            """;

        Assert.Empty(Run(new ComponentConfigInvalidRule(), Collector(config: config, image: "otel/opentelemetry-collector-contrib:0.104.0")));
        var f = Assert.Single(Run(new ComponentConfigInvalidRule(), Collector(config: config, image: "otel/opentelemetry-collector-contrib:0.105.0")));
        Assert.Equal("give exporters.loadbalancing.resolver.dns.port a value of Go type string (quote it)", f.Fix);
    }

    [Fact]
    public void A_component_the_distribution_lacks_is_left_to_the_distribution_rule()
    {
        var config = """
            receivers: {otlp: {protocols: {grpc: {}}}}
            processors: {k8sattributes: {extrac: {}}}
            exporters: {debug: {}}
            service: {pipelines: {traces: {receivers: [otlp], processors: [k8sattributes], exporters: [debug]}}}
            """;

        Assert.Empty(Run(new ComponentConfigInvalidRule(), Collector(config: config, image: "otel/opentelemetry-collector:0.105.0")));
        Assert.Single(Run(new ComponentConfigInvalidRule(), Collector(config: config)));
    }

    [Theory]
    [InlineData("payments")]
    [InlineData("payments-fixed")]
    [InlineData("payments-guide-secrets")]
    [InlineData("payments-guide-sampling")]
    public void The_bundled_scenarios_collectors_decode(string scenario) // payments-norbac overlays RBAC only
    {
        var set = ManifestLoader.Load([Path.Combine(RepoPaths.Scenario(scenario), "manifests")]);
        Assert.NotEmpty(set.Collectors);

        Assert.Empty(Linter.Run(set, [new ComponentConfigInvalidRule()]));
    }
}
