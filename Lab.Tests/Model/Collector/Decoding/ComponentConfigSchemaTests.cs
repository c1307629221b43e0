using OtelLab.Model.Collector;
using OtelLab.Model.Collector.Decoding;
using OtelLab.Sim.Collector.Pipeline;
using static OtelLab.Tests.Model.Collector.Decoding.ComponentConfigTestKit;

namespace OtelLab.Tests.Model.Collector.Decoding;

/// <summary>
/// Each emulated component's keys as upstream's config structs have them at v0.105.0 (written out here, not derived from
/// the lab's schema): all of them accepted, a misspelt one refused, a wrong-typed value refused, with mapstructure's text.
/// </summary>
[Trait("Category", "Unit")]
public sealed class ComponentConfigSchemaTests
{
    private const string Tls = "{ca_file: a, ca_pem: b, include_system_ca_certs_pool: true, cert_file: c, cert_pem: d, key_file: e, key_pem: f, min_version: \"1.2\", max_version: \"1.3\", cipher_suites: [TLS_AES_128_GCM_SHA256], reload_interval: 1m";

    private const string HttpClient = """
        endpoint: https://backend:4318
        proxy_url: http://proxy:3128
        tls: TLS, insecure: false, insecure_skip_verify: false, server_name_override: backend}
        read_buffer_size: 4096
        write_buffer_size: 4096
        timeout: 10s
        headers: {X-Tenant: a}
        auth: {authenticator: bearertokenauth}
        compression: zstd
        max_idle_conns: 100
        max_idle_conns_per_host: 10
        max_conns_per_host: 10
        idle_conn_timeout: 90s
        disable_keep_alives: false
        http2_read_idle_timeout: 10s
        http2_ping_timeout: 15s
        cookies: {enabled: true}
        """;

    private const string HttpServer = """
        endpoint: 0.0.0.0:13133
        tls: TLS, client_ca_file: g, client_ca_file_reload: true}
        cors: {allowed_origins: ["https://*.example.com"], allowed_headers: [X-Tenant], max_age: 7200}
        auth: {authenticator: basicauth}
        max_request_body_size: 20971520
        include_metadata: true
        response_headers: {X-Served-By: collector}
        compression_algorithms: [gzip, zstd]
        """;

    private const string Queue = "sending_queue: {enabled: true, num_consumers: 10, queue_size: 1000, storage: file_storage}";

    private const string Retry = "retry_on_failure: {enabled: true, initial_interval: 5s, randomization_factor: 0.5, multiplier: 1.5, max_interval: 30s, max_elapsed_time: 5m}";

    private const string GrpcClient = """
        endpoint: gateway:4317
        compression: gzip
        tls: TLS, insecure: true, insecure_skip_verify: false, server_name_override: gw}
        keepalive: {time: 10s, timeout: 5s, permit_without_stream: true}
        read_buffer_size: 4096
        write_buffer_size: 4096
        wait_for_ready: true
        headers: {X-Tenant: a}
        balancer_name: round_robin
        authority: gateway
        auth: {authenticator: oauth2client}
        """;

    public static TheoryData<string, string, string> EveryUpstreamKey => new()
    {
        {
            "receiver", "otlp", """
            protocols:
              grpc:
                endpoint: 0.0.0.0:4317
                transport: tcp
                dialer: {timeout: 1s}
                tls: TLS, client_ca_file: g, client_ca_file_reload: true}
                max_recv_msg_size_mib: 4
                max_concurrent_streams: 100
                read_buffer_size: 524288
                write_buffer_size: 0
                keepalive:
                  server_parameters: {max_connection_idle: 1m, max_connection_age: 1h, max_connection_age_grace: 5s, time: 2h, timeout: 20s}
                  enforcement_policy: {min_time: 5m, permit_without_stream: false}
                auth: {authenticator: bearertokenauth}
                include_metadata: true
              http:
            """ + "\n" + Indent(HttpServer, 4) + """

                traces_url_path: /v1/traces
                metrics_url_path: /v1/metrics
                logs_url_path: /v1/logs
            """
        },
        {
            "receiver", "prometheus", """
            config: {scrape_configs: [{job_name: self, static_configs: [{targets: ["0.0.0.0:8888"]}]}]}
            trim_metric_suffixes: false
            use_start_time_metric: false
            start_time_metric_regex: ^process_start_time_seconds$
            report_extra_scrape_metrics: true
            target_allocator:
            """ + "\n" + Indent(HttpClient, 2) + """

              interval: 30s
              collector_id: ${POD_NAME}
              http_sd_config: {refresh_interval: 60s}
              http_scrape_config: {basic_auth: {username: u}}
            """
        },
        { "processor", "batch", "timeout: 200ms\nsend_batch_size: 8192\nsend_batch_max_size: 0\nmetadata_keys: [tenant]\nmetadata_cardinality_limit: 1000" },
        { "processor", "memory_limiter", "check_interval: 1s\nlimit_mib: 4000\nspike_limit_mib: 800\nlimit_percentage: 0\nspike_limit_percentage: 0" },
        {
            "processor", "k8sattributes", """
            auth_type: serviceAccount
            context: lab
            passthrough: false
            extract:
              metadata: [k8s.pod.name, k8s.namespace.name]
              annotations: [{tag_name: a, key: b, from: pod}]
              labels: [{tag_name: $$1, key_regex: kubernetes.io/(.*), from: namespace}, {key: app, regex: (.*)}]
              otel_annotations: true
            filter:
              node: n
              node_from_env_var: K8S_NODE_NAME
              namespace: payments
              fields: [{key: metadata.name, value: x, op: not-equals}]
              labels: [{key: app, value: y, op: equals}]
            pod_association: [{sources: [{from: resource_attribute, name: k8s.pod.ip}, {from: connection}]}]
            exclude: {pods: [{name: jaeger-agent}]}
            wait_for_metadata: true
            wait_for_metadata_timeout: 10s
            """
        },
        {
            "processor", "resourcedetection", """
            detectors: [env, system, ec2, eks]
            override: false
            attributes: [host.name]
            timeout: 2s
            system: {hostname_sources: [os]}
            ec2: {tags: [^team$]}
            eks: {}
            aks: {}
            azure: {}
            consul: {}
            docker: {}
            ecs: {}
            elasticbeanstalk: {}
            gcp: {}
            heroku: {}
            k8snode: {}
            lambda: {}
            openshift: {}
            """
        },
        {
            "processor", "filter", """
            error_mode: ignore
            metrics:
              include: {match_type: strict, metric_names: [a], resource_attributes: [{key: k, value: v}]}
              exclude: {match_type: regexp, metric_names: [b.*], regexp: {cacheenabled: true}, expressions: []}
              regexp: {cacheenabled: true}
              metric: ['name == "x"']
              datapoint: ['attributes["a"] == "b"']
            logs: {include: {match_type: strict}, exclude: {match_type: strict}, log_record: ['severity_number < SEVERITY_NUMBER_WARN']}
            spans: {include: {match_type: strict, services: [a]}, exclude: {match_type: strict}}
            traces: {span: ['name == "health"'], spanevent: ['name == "x"']}
            """
        },
        {
            "processor", "cumulativetodelta", """
            include: {match_type: strict, metrics: [a], metric_types: [sum], regexp: {cacheenabled: true}}
            exclude: {match_type: regexp, metrics: [b.*]}
            max_staleness: 10m
            initial_value: auto
            """
        },
        {
            "processor", "tail_sampling", """
            decision_wait: 10s
            num_traces: 50000
            expected_new_traces_per_sec: 100
            policies: [{name: errors, type: status_code, status_code: {status_codes: [ERROR]}}]
            decision_cache: {sampled_cache_size: 1000, non_sampled_cache_size: 1000}
            sample_on_first_match: false
            drop_pending_traces_on_shutdown: false
            block_on_overflow: false
            """
        },
        { "exporter", "otlp", "timeout: 5s\n" + Queue + "\n" + Retry + "\n" + GrpcClient },
        { "exporter", "otlphttp", HttpClient + "\n" + Queue + "\n" + Retry + "\ntraces_endpoint: https://b/v1/traces\nmetrics_endpoint: https://b/v1/metrics\nlogs_endpoint: https://b/v1/logs\nencoding: json" },
        { "exporter", "debug", "verbosity: detailed\nsampling_initial: 2\nsampling_thereafter: 500\nuse_internal_logger: true" },
        {
            "exporter", "loadbalancing", """
            routing_key: traceID
            protocol:
              otlp:
                timeout: 1s
                tls: {insecure: true}
                sending_queue: {enabled: false}
                retry_on_failure: {enabled: false}
            resolver:
              static: {hostnames: ["gw-0:4317", "gw-1:4317"]}
              dns: {hostname: gw-headless, port: "4317", interval: 5s, timeout: 1s}
              k8s: {service: gw.observability, ports: [4317], timeout: 1s}
              aws_cloud_map: {namespace: n, service_name: s}
            """
        },
        {
            "exporter", "datadog", """
            api: {key: k, site: datadoghq.eu, fail_on_invalid_key: true}
            hostname: gw
            only_metadata: false
            host_metadata: {enabled: false, hostname_source: config_or_system, tags: ["team:obs"]}
            metrics:
              endpoint: https://api.datadoghq.eu
              delta_ttl: 3600
              exporter: {resource_attributes_as_tags: true, instrumentation_scope_metadata_as_tags: false}
              histograms: {mode: distributions, send_count_sum_metrics: false, send_aggregation_metrics: true}
              sums: {cumulative_monotonic_mode: to_delta, initial_cumulative_monotonic_value: auto}
              summaries: {mode: gauges}
            traces: {endpoint: https://trace.agent.datadoghq.eu, ignore_resources: ["GET /health"]}
            logs: {endpoint: https://http-intake.logs.datadoghq.eu}
            timeout: 15s
            """ + "\n" + Queue + "\n" + Retry
        },
        { "connector", "datadog", "traces: {span_name_as_resource_name: true, compute_stats_by_span_kind: true}" },
        { "extension", "health_check", HttpServer + "\npath: /health\nresponse_body: {healthy: ok, unhealthy: bad}\ncheck_collector_pipeline: {enabled: false, interval: 5m, exporter_failure_threshold: 5}" },
        { "extension", "pprof", "endpoint: localhost:1777\ndialer: {timeout: 1s}\nblock_profile_fraction: 0\nmutex_profile_fraction: 0\nsave_to_file: /tmp/cpu.prof" },
        { "extension", "bearertokenauth", "scheme: Bearer\ntoken: t\nfilename: /var/run/token" },
        { "extension", "basicauth", "htpasswd: {file: /etc/htpasswd, inline: \"u:p\"}\nclient_auth: {username: u, password: p}" },
        { "extension", "headers_setter", "headers: [{action: upsert, key: X-Scope-OrgID, from_context: tenant_id, default_value: none}, {key: X-Static, value: v}]" },
        { "extension", "file_storage", "directory: /var/lib/otelcol\ntimeout: 1s\ncompaction: {on_start: true}\nfsync: false\ncreate_directory: true\ndirectory_permissions: \"0750\"" },
        { "extension", "zpages", HttpServer },
    };

    public static TheoryData<string, string, string, string> Typos => new()
    {
        { "receiver", "otlp", "protocols: {grpc: {endpont: 0.0.0.0:4317}}", "'protocols.grpc' has invalid keys: endpont" },
        { "receiver", "prometheus", "target_allocator: {endpoint: http://ta, colector_id: c}", "'target_allocator' has invalid keys: colector_id" },
        { "processor", "batch", "timout: 5s", "'' has invalid keys: timout" },
        { "processor", "memory_limiter", "limit_mb: 400\nspike_limit_mb: 80", "'' has invalid keys: limit_mb, spike_limit_mb" },
        { "processor", "k8sattributes", "extract: {metdata: [k8s.pod.name]}", "'extract' has invalid keys: metdata" },
        { "processor", "resourcedetection", "detector: [env]", "'' has invalid keys: detector" },
        { "processor", "filter", "metrics: {include: {match_type: strict, metrics_names: [a]}}", "'metrics.include' has invalid keys: metrics_names" },
        { "processor", "cumulativetodelta", "max_stale: 10m", "'' has invalid keys: max_stale" },
        { "processor", "tail_sampling", "num_trace: 5", "'' has invalid keys: num_trace" },
        { "exporter", "otlp", "endpoint: gw:4317\nsending_queue: {num_consumer: 2}", "'sending_queue' has invalid keys: num_consumer" },
        { "exporter", "otlphttp", "endpoint: https://b\nheader: {a: b}", "'' has invalid keys: header" },
        { "exporter", "debug", "verbose: detailed", "'' has invalid keys: verbose" },
        { "exporter", "loadbalancing", "resolver: {dns: {hostnme: gw}}", "'resolver.dns' has invalid keys: hostnme" },
        { "exporter", "datadog", "api: {key: k, sit: datadoghq.eu}", "'api' has invalid keys: sit" },
        { "connector", "datadog", "trace: {}", "'' has invalid keys: trace" },
        { "extension", "health_check", "check_collector_pipline: {enabled: true}", "'' has invalid keys: check_collector_pipline" },
        { "extension", "pprof", "endpiont: localhost:1777", "'' has invalid keys: endpiont" },
        { "extension", "bearertokenauth", "tokn: t", "'' has invalid keys: tokn" },
        { "extension", "basicauth", "client_auth: {user: u}", "'client_auth' has invalid keys: user" },
        { "extension", "headers_setter", "headers: [{key: a, from_ctx: b}]", "'headers[0]' has invalid keys: from_ctx" },
        { "extension", "file_storage", "dir: /tmp", "'' has invalid keys: dir" },
        { "extension", "zpages", "endpoint: localhost:55679\ntls: {cert: x}", "'tls' has invalid keys: cert" },
    };

    public static TheoryData<string, string, string, string> WrongTypes => new()
    {
        { "receiver", "otlp", "protocols: {grpc: {max_recv_msg_size_mib: big}}", "'protocols.grpc.max_recv_msg_size_mib' expected type 'uint64', got unconvertible type 'string', value: 'big'" },
        { "receiver", "prometheus", "trim_metric_suffixes: \"yes\"", "'trim_metric_suffixes' expected type 'bool', got unconvertible type 'string', value: 'yes'" },
        { "processor", "batch", "send_batch_size: abc", "'send_batch_size' expected type 'uint32', got unconvertible type 'string', value: 'abc'" },
        { "processor", "memory_limiter", "check_interval: true", "'check_interval' expected type 'time.Duration', got unconvertible type 'bool', value: 'true'" },
        { "processor", "k8sattributes", "passthrough: \"false\"", "'passthrough' expected type 'bool', got unconvertible type 'string', value: 'false'" },
        { "processor", "resourcedetection", "override: 1", "'override' expected type 'bool', got unconvertible type 'int', value: '1'" },
        { "processor", "filter", "traces: {span: {name: x}}", "'traces.span': source data must be an array or slice, got map" },
        { "processor", "cumulativetodelta", "include: [a]", "'include' expected a map, got 'slice'" },
        { "processor", "tail_sampling", "decision_wait: \"10\"", "error decoding 'decision_wait': time: missing unit in duration \"10\"" },
        { "exporter", "otlp", "endpoint: gw:4317\ncompression: brotli", "error decoding 'compression': unsupported compression type \"brotli\"" },
        { "exporter", "otlphttp", "endpoint: https://b\nheaders: {X-Count: 1}", "'headers[X-Count]' expected type 'configopaque.String', got unconvertible type 'int', value: '1'" },
        { "exporter", "debug", "sampling_initial: \"2\"", "'sampling_initial' expected type 'int', got unconvertible type 'string', value: '2'" },
        { "exporter", "loadbalancing", "resolver: {dns: {hostname: gw, port: 4317}}", "'resolver.dns.port' expected type 'string', got unconvertible type 'int', value: '4317'" },
        { "exporter", "datadog", "host_metadata: {enabled: \"false\"}", "'host_metadata.enabled' expected type 'bool', got unconvertible type 'string', value: 'false'" },
        { "extension", "health_check", "check_collector_pipeline: {exporter_failure_threshold: five}", "'check_collector_pipeline.exporter_failure_threshold' expected type 'int', got unconvertible type 'string', value: 'five'" },
        { "extension", "pprof", "block_profile_fraction: x", "'block_profile_fraction' expected type 'int', got unconvertible type 'string', value: 'x'" },
        { "extension", "bearertokenauth", "scheme: 1", "'scheme' expected type 'string', got unconvertible type 'int', value: '1'" },
        { "extension", "basicauth", "htpasswd: /etc/htpasswd", "'htpasswd' expected a map, got 'string'" },
        { "extension", "headers_setter", "headers: {key: a}", "'headers': source data must be an array or slice, got map" },
        { "extension", "file_storage", "timeout: soon", "error decoding 'timeout': time: invalid duration \"soon\"" },
        { "extension", "zpages", "max_request_body_size: -1.5e3x", "'max_request_body_size' expected type 'int64', got unconvertible type 'string', value: '-1.5e3x'" },
    };

    [Theory]
    [MemberData(nameof(EveryUpstreamKey))]
    public void Every_key_upstream_has_is_accepted(string kind, string type, string yaml) =>
        Assert.Empty(Lines(kind, type, yaml.Replace("TLS", Tls, StringComparison.Ordinal)));

    [Theory]
    [MemberData(nameof(Typos))]
    public void A_misspelt_key_is_refused_with_upstreams_text(string kind, string type, string yaml, string expected) =>
        Assert.Equal([expected], Lines(kind, type, yaml));

    [Theory]
    [MemberData(nameof(WrongTypes))]
    public void A_wrong_typed_value_is_refused_with_upstreams_text(string kind, string type, string yaml, string expected) =>
        Assert.Equal([expected], Lines(kind, type, yaml));

    [Fact]
    public void Every_emulated_component_has_a_schema_and_a_test_row()
    {
        var rows = EveryUpstreamKey.Select(r => ((string)r.Data.Item1, (string)r.Data.Item2)).ToHashSet();
        foreach (var factory in ComponentCatalog.All)
        {
            Assert.NotNull(ComponentSchemas.Find(factory.Kind, factory.Type));
            Assert.Contains((factory.Kind.ToString().ToLowerInvariant(), factory.Type), rows);
        }

        Assert.All(ComponentSchemas.All, s => Assert.Contains((s.Kind.ToString().ToLowerInvariant(), s.Type), rows));
    }

    [Fact]
    public void The_schemas_carry_upstreams_defaults_including_those_of_squashed_structs()
    {
        // upstream batchprocessor factory.go, exporterhelper (timeout 5s, queue 10 × 1000, retry 5s/0.5/1.5/30s/5m),
        // tailsamplingprocessor factory.go (shared/reference/collector.md).
        var batch = ComponentSchemas.Find(ComponentKind.Processor, "batch")!.Config.Defaults;
        Assert.Equal(new Dictionary<string, string> { ["timeout"] = "200ms", ["send_batch_size"] = "8192", ["send_batch_max_size"] = "0", ["metadata_cardinality_limit"] = "1000" }, batch);

        var otlp = ComponentSchemas.Find(ComponentKind.Exporter, "otlp")!.Config;
        Assert.Equal("5s", otlp.Defaults["timeout"]);
        Assert.Equal(["true", "10", "1000"], [otlp.Fields["sending_queue"].Defaults["enabled"], otlp.Fields["sending_queue"].Defaults["num_consumers"], otlp.Fields["sending_queue"].Defaults["queue_size"]]);
        Assert.Equal("5m", otlp.Fields["retry_on_failure"].Defaults["max_elapsed_time"]);

        var tailSampling = ComponentSchemas.Find(ComponentKind.Processor, "tail_sampling")!.Config.Defaults;
        Assert.Equal(["30s", "50000", "0"], [tailSampling["decision_wait"], tailSampling["num_traces"], tailSampling["expected_new_traces_per_sec"]]);
    }

    [Fact]
    public void A_negative_number_for_an_unsigned_field_is_refused_by_confmaps_hook()
    {
        Assert.Equal(
            ["error decoding 'send_batch_size': cannot convert negative value -1 to an unsigned integer"],
            Lines("processor", "batch", "send_batch_size: -1"));
    }

    [Fact]
    public void Problems_are_collected_not_stopped_at_the_first_and_keys_are_sorted()
    {
        var lines = Lines("processor", "batch", "zeta: 1\nsend_batch_size: x\nalpha: 2\ntimeout: 5q");

        Assert.Equal(
            [
                "error decoding 'timeout': time: unknown unit \"q\" in duration \"5q\"",
                "'send_batch_size' expected type 'uint32', got unconvertible type 'string', value: 'x'",
                "'' has invalid keys: alpha, zeta",
            ],
            lines);
    }

    [Fact]
    public void Null_values_keep_the_default_and_a_comma_string_is_a_list()
    {
        Assert.Empty(Lines("processor", "batch", "timeout:\nsend_batch_size: ~\nmetadata_keys: tenant,region"));
        Assert.Empty(Lines("receiver", "otlp", "protocols: {grpc:, http: null}"));
    }

    private static string Indent(string text, int spaces) =>
        string.Join("\n", text.Split('\n').Select(l => new string(' ', spaces) + l));
}
