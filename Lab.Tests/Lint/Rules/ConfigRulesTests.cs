using OtelLab.Lint;
using OtelLab.Lint.Rules;
using static OtelLab.Tests.Lint.LintFixture;

namespace OtelLab.Tests.Lint.Rules;

[Trait("Category", "Unit")]
public sealed class ConfigRulesTests
{
    private const string VaultAnnotations = """
        podAnnotations:
          vault.hashicorp.com/agent-inject: "true"
          vault.hashicorp.com/agent-inject-secret-dt: "secret/data/dt"
          vault.hashicorp.com/agent-inject-template-dt: |
            {{- with secret "secret/data/dt" -}}
            export DT_API_TOKEN="{{ .Data.data.token }}"
            {{- end -}}
        """;

    private static string DynatraceConfig(string auth, string endpoint = "https://x.live.dynatrace.com/api/v2/otlp") => """
        receivers: {otlp: {}}
        exporters:
          otlphttp/dynatrace:
            endpoint: ENDPOINT
            headers: {Authorization: "AUTH"}
        service: {pipelines: {traces: {receivers: [otlp], exporters: [otlphttp/dynatrace]}}}
        """.Replace("ENDPOINT", endpoint, StringComparison.Ordinal).Replace("AUTH", auth, StringComparison.Ordinal);

    [Fact]
    public void Env_reference_to_a_vault_file_variable_is_an_error_suggesting_file()
    {
        var f = Assert.Single(Run(new CollectorEnvFromVaultFileRule(),
            Collector(extraSpec: VaultAnnotations, config: DynatraceConfig("Api-Token ${env:DT_API_TOKEN}"))));

        Assert.Contains("/vault/secrets/dt", f.Message, StringComparison.Ordinal);
        Assert.Contains("${file:/vault/secrets/dt}", f.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Datadog_key_from_a_vault_file_via_env_stops_the_collector()
    {
        var annotations = VaultAnnotations.Replace("DT_API_TOKEN", "DD_API_KEY", StringComparison.Ordinal);
        var config = """
            receivers: {otlp: {}}
            exporters: {datadog: {api: {key: "${env:DD_API_KEY}"}}}
            service: {pipelines: {traces: {receivers: [otlp], exporters: [datadog]}}}
            """;

        var f = Assert.Single(Run(new CollectorEnvFromVaultFileRule(), Collector(extraSpec: annotations, config: config)));

        Assert.Contains("api.key is not set", f.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void File_reference_to_the_vault_file_passes()
    {
        var config = DynatraceConfig("Api-Token ${file:/vault/secrets/dt}");
        Assert.Empty(Run(new CollectorEnvFromVaultFileRule(), Collector(extraSpec: VaultAnnotations, config: config)));
        Assert.Empty(Run(new CollectorEnvUndefinedRule(), Collector(extraSpec: VaultAnnotations, config: config)));
    }

    [Fact]
    public void Undefined_env_in_an_exporter_endpoint_is_an_error_showing_the_resolved_endpoint()
    {
        var f = Assert.Single(Run(new CollectorEnvUndefinedRule(),
            Collector(config: DynatraceConfig("Api-Token ${file:/t}", "${env:DT_ENV_URL}/api/v2/otlp"))));

        Assert.Equal(Severity.Error, f.Severity);
        Assert.Contains("endpoint becomes \"/api/v2/otlp\"", f.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Env_defined_on_the_CR_or_with_a_default_passes()
    {
        var config = DynatraceConfig("Api-Token ${file:/t}", "${env:DT_ENV_URL}/api/v2/otlp");
        Assert.Empty(Run(new CollectorEnvUndefinedRule(), Collector(config: config, extraSpec: "env: [{name: DT_ENV_URL, value: \"https://x\"}]")));
        Assert.Empty(Run(new CollectorEnvUndefinedRule(), Collector(config: config.Replace("${env:DT_ENV_URL}", "${env:DT_ENV_URL:-https://x}", StringComparison.Ordinal))));
        Assert.Empty(Run(new CollectorEnvUndefinedRule(), Collector(config: config.Replace("${env:DT_ENV_URL}", "${env:POD_NAME}", StringComparison.Ordinal))));
    }

    [Fact]
    public void Undefined_env_outside_exporters_is_a_warning()
    {
        var config = """
            receivers: {otlp: {}}
            processors: {k8sattributes: {filter: {node: "${env:NODE}"}}}
            exporters: {debug: {}}
            service: {pipelines: {traces: {receivers: [otlp], processors: [k8sattributes], exporters: [debug]}}}
            """;

        Assert.Equal(Severity.Warning, Assert.Single(Run(new CollectorEnvUndefinedRule(), Collector(config: config))).Severity);
    }

    private const string GatewayConfig = """
        receivers: {otlp: {protocols: {grpc: {}}}}
        processors: {tail_sampling: {policies: [{name: all, type: always_sample}]}}
        exporters: {debug: {}}
        service: {pipelines: {traces: {receivers: [otlp], processors: [tail_sampling], exporters: [debug]}}}
        """;

    private static string AgentExporting(string exporter) => Collector(name: "agent", mode: "daemonset", config: """
        receivers: {otlp: {}}
        exporters:
        EXPORTER
        service: {pipelines: {traces: {receivers: [otlp], exporters: [out]}}}
        """.Replace("EXPORTER", exporter, StringComparison.Ordinal));

    [Fact]
    public void Tail_sampling_on_two_replicas_behind_the_service_is_an_error_with_the_feeding_exporter()
    {
        var f = Assert.Single(Run(new TailSamplingBehindServiceRule(),
            Collector(name: "gateway", replicas: 2, config: GatewayConfig),
            AgentExporting("  out: {endpoint: \"gateway-collector.observability.svc:4317\"}").Replace("[out]", "[otlp]", StringComparison.Ordinal).Replace("  out:", "  otlp:", StringComparison.Ordinal)));

        Assert.Equal(Severity.Error, f.Severity);
        Assert.Contains("2 replicas", f.Message, StringComparison.Ordinal);
        Assert.Contains(f.Evidence, e => e.Contains("OpenTelemetryCollector observability/agent exports traces with otlp", StringComparison.Ordinal));
        Assert.Contains("gateway-collector-headless.observability.svc.cluster.local", f.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Tail_sampling_fed_by_a_trace_id_loadbalancer_passes()
    {
        var lb = "  loadbalancing:\n    routing_key: traceID\n    resolver: {dns: {hostname: gateway-collector-headless.observability.svc.cluster.local}}";
        Assert.Empty(Run(new TailSamplingBehindServiceRule(),
            Collector(name: "gateway", replicas: 2, config: GatewayConfig),
            AgentExporting(lb).Replace("[out]", "[loadbalancing]", StringComparison.Ordinal)));
    }

    [Fact]
    public void Tail_sampling_replicas_whose_senders_are_outside_the_manifests_are_a_warning()
    {
        var f = Assert.Single(Run(new TailSamplingBehindServiceRule(), Collector(name: "gateway", replicas: 2, config: GatewayConfig)));

        Assert.Equal(Severity.Warning, f.Severity);
        Assert.Contains(f.Evidence, e => e.Contains("senders are outside them", StringComparison.Ordinal));
    }

    [Fact]
    public void Tail_sampling_on_one_replica_passes() =>
        Assert.Empty(Run(new TailSamplingBehindServiceRule(), Collector(name: "gateway", replicas: 1, config: GatewayConfig)));

    private const string DatadogAfterSampling = """
        receivers: {otlp: {}}
        processors: {tail_sampling: {policies: []}}
        exporters: {datadog: {api: {key: "${file:/k}"}}}
        connectors: {datadog/connector: {}}
        service:
          pipelines:
            traces: {receivers: [otlp], processors: [tail_sampling], exporters: [datadog]}
        """;

    [Fact]
    public void Datadog_after_tail_sampling_without_connector_is_a_warning()
    {
        var f = Assert.Single(Run(new DatadogStatsAfterSamplingRule(), Collector(config: DatadogAfterSampling)));
        Assert.Equal(Severity.Warning, f.Severity);
    }

    [Fact]
    public void Datadog_connector_on_an_unsampled_pipeline_passes()
    {
        var config = DatadogAfterSampling + "\n    traces/stats: {receivers: [otlp], exporters: [datadog/connector]}\n    metrics: {receivers: [datadog/connector], exporters: [datadog]}";
        Assert.Empty(Run(new DatadogStatsAfterSamplingRule(), Collector(config: config)));
    }

    [Fact]
    public void Load_balancer_service_exposing_otlp_is_an_error()
    {
        var svc = """
            apiVersion: v1
            kind: Service
            metadata: {name: otlp, namespace: observability}
            spec:
              type: LoadBalancer
              ports: [{name: otlp-grpc, port: 4317}]
            """;
        var f = Assert.Single(Run(new OtlpExposedRule(), svc));
        Assert.Equal(5, f.Location.Line);
        Assert.Empty(Run(new OtlpExposedRule(), svc.Replace("LoadBalancer", "ClusterIP", StringComparison.Ordinal)));
    }

    [Fact]
    public void Static_self_scrape_with_the_target_allocator_is_a_warning()
    {
        var config = """
            receivers:
              prometheus:
                config:
                  scrape_configs:
                    - job_name: self
                      static_configs: [{targets: ["0.0.0.0:8888"]}]
            exporters: {debug: {}}
            service: {pipelines: {metrics: {receivers: [prometheus], exporters: [debug]}}}
            """;
        var f = Assert.Single(Run(new TargetAllocatorStaticSelfScrapeRule(),
            Collector(mode: "statefulset", replicas: 3, extraSpec: "targetAllocator: {enabled: true}", config: config)));
        Assert.Equal(Severity.Warning, f.Severity);
        Assert.Equal(15, f.Location.Line);
        Assert.Empty(Run(new TargetAllocatorStaticSelfScrapeRule(), Collector(mode: "statefulset", replicas: 3, config: config)));
    }

    [Fact]
    public void A_relabel_regex_re2_cannot_parse_is_an_error_with_gos_message_at_its_line()
    {
        // Given scrape configs with four regexes: two RE2 parses (a named group in Go's spelling, an alternation) and
        // two it refuses (a lookahead, a backreference)
        var config = """
            receivers:
              prometheus/apps:
                config:
                  scrape_configs:
                    - job_name: pods
                      relabel_configs:
                        - {source_labels: [__meta_kubernetes_pod_name], regex: '(?P<app>[a-z]+)-.*', target_label: app}
                        - {source_labels: [__meta_kubernetes_namespace], regex: 'payments(?!-canary)', action: keep}
                      metric_relabel_configs:
                        - {source_labels: [__name__], regex: 'go_.*|process_.*', action: drop}
                        - {source_labels: [code], regex: '(5)\1', action: drop}
            exporters: {debug: {}}
            service: {pipelines: {metrics: {receivers: [prometheus/apps], exporters: [debug]}}}
            """;

        // When linted
        var findings = Run(new RelabelRegexInvalidRule(), Collector(mode: "statefulset", config: config));

        // Then the two refused ones are errors at their lines, each with Go's parse error
        Assert.Equal(2, findings.Count);
        Assert.All(findings, f => Assert.Equal(Severity.Error, f.Severity));
        Assert.Equal([15, 18], findings.Select(f => f.Location.Line));
        Assert.Contains("job pods relabel_configs[1].regex \"payments(?!-canary)\": error parsing regexp", findings[0].Message, StringComparison.Ordinal);
        Assert.Contains("error parsing regexp: invalid or unsupported Perl syntax: `(?!`", findings[0].Message, StringComparison.Ordinal);
        Assert.Contains("metric_relabel_configs[1].regex \"(5)\\1\"", findings[1].Message, StringComparison.Ordinal);
        Assert.Contains("error parsing regexp: invalid escape sequence: `\\1`", findings[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Variables_the_operator_adds_count_as_defined()
    {
        // upstream container.go: POD_NAME always, SHARD only with the Target Allocator.
        var config = """
            receivers: {otlp: {}}
            exporters: {otlp: {endpoint: "${env:SHARD}-${env:POD_NAME}:4317"}}
            service: {pipelines: {traces: {receivers: [otlp], exporters: [otlp]}}}
            """;

        var f = Assert.Single(Run(new CollectorEnvUndefinedRule(), Collector(mode: "statefulset", config: config)));
        Assert.Contains("${env:SHARD}", f.Message, StringComparison.Ordinal);
        Assert.Empty(Run(new CollectorEnvUndefinedRule(), Collector(mode: "statefulset", config: config, extraSpec: "targetAllocator: {enabled: true}")));
    }
}
