using OtelLab.Lint;
using OtelLab.Lint.Rules;
using static OtelLab.Tests.Lint.LintFixture;

namespace OtelLab.Tests.Lint.Rules;

/// <summary>Temporality traced across tiers: which paths carry cumulative points into a Dynatrace exporter.</summary>
[Trait("Category", "Unit")]
public sealed class DynatraceCumulativeMetricsRuleTests
{
    private static string Gateway(string processors) => Collector(name: "gateway", config: """
        receivers: {otlp: {protocols: {grpc: {}}}}
        processors: {batch: {}, cumulativetodelta: {}}
        exporters: {otlphttp/dynatrace: {endpoint: "https://x.live.dynatrace.com/api/v2/otlp", headers: {Authorization: "Api-Token ${file:/t}"}}}
        service: {pipelines: {metrics: {receivers: [otlp], processors: [@0@], exporters: [otlphttp/dynatrace]}}}
        """.Replace("@0@", processors, StringComparison.Ordinal));

    private static string PrometheusTier(string name, string processors, string exporter = "otlp/gateway: {endpoint: \"gateway-collector.observability.svc:4317\"}") =>
        Collector(name: name, mode: "statefulset", config: """
            receivers: {prometheus: {config: {scrape_configs: []}}}
            processors: {batch: {}, cumulativetodelta: {}, deltatocumulative: {}}
            exporters: {@0@}
            service: {pipelines: {metrics: {receivers: [prometheus], processors: [@1@], exporters: [@2@]}}}
            """.Replace("@0@", exporter, StringComparison.Ordinal).Replace("@1@", processors, StringComparison.Ordinal).Replace("@2@", exporter[..exporter.IndexOf(':', StringComparison.Ordinal)], StringComparison.Ordinal));

    private static string Agent(string exporter) => Collector(name: "agent", mode: "daemonset",
        extraSpec: "ports: [{name: otlp-http, port: 4318, hostPort: 4318}]", config: """
            receivers: {otlp: {protocols: {http: {}}}}
            exporters: {@0@}
            service: {pipelines: {metrics: {receivers: [otlp], exporters: [@1@]}}}
            """.Replace("@0@", exporter, StringComparison.Ordinal).Replace("@1@", exporter[..exporter.IndexOf(':', StringComparison.Ordinal)], StringComparison.Ordinal));

    private static string Instrumented(string env = "") => """
        apiVersion: opentelemetry.io/v1alpha1
        kind: Instrumentation
        metadata: {name: inst, namespace: shop}
        spec:
          exporter: {endpoint: "http://$(OTEL_NODE_IP):4318"}
          env: [@0@]
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: checkout, namespace: shop}
        spec:
          selector: {matchLabels: {app: checkout}}
          template:
            metadata:
              labels: {app: checkout}
              annotations: {instrumentation.opentelemetry.io/inject-java: "true"}
            spec: {containers: [{name: app, image: checkout:1}]}
        """.Replace("@0@", env, StringComparison.Ordinal);

    [Fact]
    public void A_tier_that_converts_to_delta_before_forwarding_clears_the_path() =>
        Assert.Empty(Run(new DynatraceCumulativeMetricsRule(), PrometheusTier("prom", "cumulativetodelta, batch"), Gateway("batch")));

    [Fact]
    public void A_tier_forwarding_cumulative_points_is_named_with_its_pipeline_and_position()
    {
        var f = Assert.Single(Run(new DynatraceCumulativeMetricsRule(), PrometheusTier("prom", "batch"), Gateway("batch")));

        Assert.Equal(Severity.Error, f.Severity);
        var path = Assert.Single(f.Evidence, e => e.Contains("OpenTelemetryCollector observability/prom pipeline metrics at fixture.yaml:", StringComparison.Ordinal));
        Assert.Contains("receiver prometheus", path, StringComparison.Ordinal);
        Assert.Contains("sent with otlp/gateway to OpenTelemetryCollector observability/gateway", path, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_the_tiers_that_do_not_convert_are_named()
    {
        var second = PrometheusTier("prom-b", "batch", "otlp/gateway: {endpoint: \"http://gateway-collector.observability:4317\"}");

        var f = Assert.Single(Run(new DynatraceCumulativeMetricsRule(), PrometheusTier("prom-a", "cumulativetodelta, batch"), second, Gateway("batch")));

        Assert.Contains(f.Evidence, e => e.Contains("observability/prom-b pipeline metrics", StringComparison.Ordinal));
        Assert.DoesNotContain(f.Evidence, e => e.Contains("observability/prom-a", StringComparison.Ordinal));
    }

    [Fact]
    public void A_conversion_narrowed_by_include_is_a_warning_naming_the_tier()
    {
        var narrowed = PrometheusTier("prom", "cumulativetodelta, batch")
            .Replace("cumulativetodelta: {}", "cumulativetodelta: {include: {metrics: [http_requests_total], match_type: strict}}", StringComparison.Ordinal);

        var f = Assert.Single(Run(new DynatraceCumulativeMetricsRule(), narrowed, Gateway("batch")));

        Assert.Equal(Severity.Warning, f.Severity);
        Assert.Contains(f.Evidence, e => e.Contains("observability/prom pipeline metrics", StringComparison.Ordinal) && e.Contains("only the metrics its include select", StringComparison.Ordinal));
    }

    [Fact]
    public void Conversion_in_the_exporting_pipeline_clears_every_path() =>
        Assert.Empty(Run(new DynatraceCumulativeMetricsRule(), PrometheusTier("prom", "batch"), Gateway("cumulativetodelta, batch")));

    [Fact]
    public void A_deltatocumulative_after_the_conversion_makes_the_points_cumulative_again()
    {
        var f = Assert.Single(Run(new DynatraceCumulativeMetricsRule(), PrometheusTier("prom", "cumulativetodelta, deltatocumulative"), Gateway("batch")));

        Assert.Contains(f.Evidence, e => e.Contains("observability/prom pipeline metrics", StringComparison.Ordinal) && e.Contains("deltatocumulative", StringComparison.Ordinal));
    }

    [Fact]
    public void Paths_through_a_loadbalancing_middle_tier_are_followed()
    {
        var lb = "loadbalancing/gw: {routing_key: streamID, protocol: {otlp: {}}, resolver: {dns: {hostname: gateway-collector-headless.observability.svc.cluster.local}}}";
        var middle = Collector(name: "relay", config: """
            receivers: {otlp: {protocols: {grpc: {}}}}
            exporters: {@0@}
            service: {pipelines: {metrics: {receivers: [otlp], exporters: [loadbalancing/gw]}}}
            """.Replace("@0@", lb, StringComparison.Ordinal));
        var toRelay = "otlp/relay: {endpoint: \"relay-collector.observability.svc:4317\"}";

        Assert.Empty(Run(new DynatraceCumulativeMetricsRule(), PrometheusTier("prom", "cumulativetodelta", toRelay), middle, Gateway("batch")));
        var f = Assert.Single(Run(new DynatraceCumulativeMetricsRule(), PrometheusTier("prom", "batch", toRelay), middle, Gateway("batch")));
        Assert.Contains(f.Evidence, e => e.Contains("observability/prom pipeline metrics", StringComparison.Ordinal) &&
                                         e.Contains("sent with otlp/relay to OpenTelemetryCollector observability/relay", StringComparison.Ordinal) &&
                                         e.Contains("sent with loadbalancing/gw to OpenTelemetryCollector observability/gateway", StringComparison.Ordinal));
    }

    [Fact]
    public void Instrumented_sdks_are_cumulative_unless_they_prefer_delta()
    {
        var agent = Agent("otlp/gateway: {endpoint: \"gateway-collector.observability.svc:4317\"}");

        var f = Assert.Single(Run(new DynatraceCumulativeMetricsRule(), Instrumented(), agent, Gateway("batch")));
        Assert.Equal(Severity.Error, f.Severity);
        Assert.Contains(f.Evidence, e => e.StartsWith("Deployment shop/checkout (inject-java", StringComparison.Ordinal) &&
                                         e.Contains("received by OpenTelemetryCollector observability/agent pipeline metrics", StringComparison.Ordinal));

        var delta = "{name: OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE, value: delta}";
        Assert.Empty(Run(new DynatraceCumulativeMetricsRule(), Instrumented(delta), agent, Gateway("batch")));
        Assert.Empty(Run(new DynatraceCumulativeMetricsRule(), Instrumented("{name: OTEL_METRICS_EXPORTER, value: none}"), agent, Gateway("batch")));
    }

    [Fact]
    public void Otlp_senders_outside_the_manifests_are_a_warning()
    {
        var f = Assert.Single(Run(new DynatraceCumulativeMetricsRule(), Gateway("batch")));

        Assert.Equal(Severity.Warning, f.Severity);
        Assert.Contains(f.Evidence, e => e.Contains("senders outside these manifests", StringComparison.Ordinal));
    }

    [Fact]
    public void Spanmetrics_sums_are_cumulative_unless_configured_delta()
    {
        static string Config(string connector) => Collector(name: "gateway", config: """
            receivers: {otlp: {protocols: {grpc: {}}}}
            connectors: {spanmetrics: @0@}
            exporters: {otlphttp/dynatrace: {endpoint: "https://x.live.dynatrace.com/api/v2/otlp"}, debug: {}}
            service:
              pipelines:
                traces: {receivers: [otlp], exporters: [spanmetrics]}
                metrics: {receivers: [spanmetrics], exporters: [otlphttp/dynatrace]}
            """.Replace("@0@", connector, StringComparison.Ordinal));

        Assert.Equal(Severity.Error, Assert.Single(Run(new DynatraceCumulativeMetricsRule(), Config("{}"))).Severity);
        Assert.Empty(Run(new DynatraceCumulativeMetricsRule(), Config("{aggregation_temporality: AGGREGATION_TEMPORALITY_DELTA}")));
    }
}
