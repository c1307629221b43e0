using OtelLab.Model.Manifests;
using OtelLab.Sim.Operator;
using OtelLab.Sim.Operator.Internal;

namespace OtelLab.Tests.Sim.Operator;

/// <summary>The TA ConfigMap text against upstream's own test vectors (internal/manifests/targetallocator/configmap_test.go).</summary>
[Trait("Category", "Unit")]
public sealed class TargetAllocatorConfigTests
{
    private static (OtelLab.Model.Crds.OpenTelemetryCollector, Dictionary<string, object?>) Load(string spec)
    {
        var set = ManifestLoader.LoadText("c.yaml", $$$$"""
            apiVersion: opentelemetry.io/v1beta1
            kind: OpenTelemetryCollector
            metadata: {name: my-instance, namespace: default}
            spec:
              mode: statefulset
            {{{{spec}}}}
              config:
                receivers:
                  prometheus:
                    config:
                      scrape_configs:
                      - job_name: otel-collector
                        scrape_interval: 10s
                        static_configs:
                        - targets: [ '0.0.0.0:8888', '0.0.0.0:9999' ]
                exporters: {debug: {}}
                service: {pipelines: {metrics: {receivers: [prometheus], exporters: [debug]}}}
            """);
        Assert.Empty(set.Errors);
        var collector = set.Collectors.Single().Model;
        return (collector, (Dictionary<string, object?>)ConfigTree.From(collector.Config.Root)!);
    }

    [Fact]
    public void Matches_upstreams_expected_target_allocator_config_map()
    {
        var (collector, tree) = Load("  targetAllocator: {enabled: true}");

        // upstream: "should return expected target allocator config map"
        Assert.Equal("""
            allocation_strategy: consistent-hashing
            collector_selector:
              matchlabels:
                app.kubernetes.io/component: opentelemetry-collector
                app.kubernetes.io/instance: default.my-instance
                app.kubernetes.io/managed-by: opentelemetry-operator
                app.kubernetes.io/part-of: opentelemetry
              matchexpressions: []
            config:
              scrape_configs:
              - job_name: otel-collector
                scrape_interval: 10s
                static_configs:
                - targets:
                  - 0.0.0.0:8888
                  - 0.0.0.0:9999
            filter_strategy: relabel-config

            """.ReplaceLineEndings("\n"), TargetAllocatorManifests.ConfigText(collector, tree));
    }

    [Fact]
    public void Prometheus_cr_selectors_and_durations_are_written_like_yaml_v2()
    {
        var (collector, tree) = Load("""
              targetAllocator:
                enabled: true
                allocationStrategy: least-weighted
                prometheusCR:
                  enabled: true
                  scrapeInterval: 1m
                  serviceMonitorSelector: {matchLabels: {release: my-instance}}
            """);

        var text = TargetAllocatorManifests.ConfigText(collector, tree);

        Assert.StartsWith("allocation_strategy: least-weighted\n", text, StringComparison.Ordinal);
        Assert.EndsWith("""
            prometheus_cr:
              enabled: true
              pod_monitor_selector: null
              probe_selector: null
              scrape_config_selector: null
              scrape_interval: 1m0s
              service_monitor_selector:
                matchlabels:
                  release: my-instance
                matchexpressions: []

            """.ReplaceLineEndings("\n"), text, StringComparison.Ordinal);
    }

    [Fact]
    public void Dollar_escapes_in_relabel_replacements_are_undone_for_the_ta()
    {
        var tree = (Dictionary<string, object?>)ConfigTree.From(new YamlDotNet.RepresentationModel.YamlStream().Let(s => s.Load(new StringReader("""
            receivers:
              prometheus:
                config:
                  scrape_configs:
                  - job_name: j
                    metric_relabel_configs: [{action: labelmap, regex: "label_(.+)", replacement: "$$1"}]
            """))).Documents[0].RootNode)!;

        var jobs = PrometheusRewrite.ScrapeConfigs(tree);

        var relabel = (Dictionary<string, object?>)((List<object?>)((Dictionary<string, object?>)jobs[0]!)["metric_relabel_configs"]!)[0]!;
        Assert.Equal("$1", relabel["replacement"]);
    }

    [Theory]
    [InlineData("30s", "30s")]
    [InlineData("1m", "1m0s")]
    [InlineData("90s", "1m30s")]
    [InlineData("2h", "2h0m0s")]
    public void Durations_print_as_go_time_duration(string input, string expected) =>
        Assert.Equal(expected, TargetAllocatorManifests.GoDuration(input));

    [Fact]
    public void Strings_that_would_read_as_other_types_are_quoted_and_keys_sort_naturally()
    {
        var text = GoYaml.Serialize(new Dictionary<string, object?>
        {
            ["b10"] = "true",
            ["b9"] = "8888",
            ["a"] = "${POD_NAME}",
            ["c"] = ":8443",
            ["d"] = "- x",
            ["e"] = "it's: here",
        });

        Assert.Equal("a: ${POD_NAME}\nb9: \"8888\"\nb10: \"true\"\nc: :8443\nd: '- x'\ne: 'it''s: here'\n", text);
    }
}
