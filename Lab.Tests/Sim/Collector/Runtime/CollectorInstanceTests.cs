using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using OtelLab.Backends.Dynatrace;
using OtelLab.Model.Collector;
using OtelLab.Sim.Collector.Pipeline;
using OtelLab.Sim.Collector.Runtime;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Sim.Collector.Runtime;

/// <summary>Config resolution, the distribution check, internal telemetry and an agent → gateway → Dynatrace chain.</summary>
[Trait("Category", "Component")]
public sealed class CollectorInstanceTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private const string Token = "dt0c01.LABRUNTIMETOKENPUBLIC.SECRETSECRETSECRETSECRETSECRET";

    [Fact]
    public async Task An_unknown_component_in_a_core_image_fails_with_upstreams_text()
    {
        // Given a core image and a config naming k8sattributes (contrib/k8s only)
        const string yaml = """
            receivers: {otlp: {protocols: {grpc: {}}}}
            processors: {k8sattributes: {}}
            exporters: {debug: {}}
            service: {pipelines: {traces: {receivers: [otlp], processors: [k8sattributes], exporters: [debug]}}}
            """;
        var context = CollectorInstance.CreateContext(CollectorTestKit.Address(41), image: "otel/opentelemetry-collector:0.159.0");

        // When it starts, then it fails as otelcol does, listing the core processors
        var e = await Assert.ThrowsAsync<CollectorStartException>(() => CollectorInstance.StartAsync(yaml, context, TestContext.Current.CancellationToken));
        var valid = string.Join(' ', CollectorDistribution.Core.Types(ComponentKind.Processor).Order(StringComparer.Ordinal));
        Assert.Equal(
            "failed to get config: cannot unmarshal the configuration: decoding failed due to the following error(s):\n\n"
            + $"'processors' unknown type: \"k8sattributes\" for id: \"k8sattributes\" (valid values: [{valid}])",
            e.Message);
    }

    [Fact]
    public async Task Settings_that_do_not_decode_fail_the_start_with_one_error_per_section_as_v0_105_prints_it()
    {
        // Given a 0.105.0 image and a config with a misspelt key in a receiver and a wrong type in a processor
        const string yaml = """
            receivers: {otlp: {protocols: {grpc: {endpont: "0.0.0.0:4317"}}}}
            processors: {batch: {send_batch_size: lots}}
            exporters: {debug: {}}
            service: {pipelines: {traces: {receivers: [otlp], processors: [batch], exporters: [debug]}}}
            """;
        var context = CollectorInstance.CreateContext(CollectorTestKit.Address(47), image: "otel/opentelemetry-collector-contrib:0.105.0");

        // When it starts, then both sections are reported, sorted, with the strict-typing hint of 0.105
        var e = await Assert.ThrowsAsync<CollectorStartException>(() => CollectorInstance.StartAsync(yaml, context, TestContext.Current.CancellationToken));
        Assert.Equal(
            "failed to get config: cannot unmarshal the configuration: 2 error(s) decoding:\n\n"
            + "* error decoding 'processors': error reading configuration for \"batch\": 1 error(s) decoding:\n\n"
            + "* 'send_batch_size' expected type 'uint32', got unconvertible type 'string', value: 'lots'\n"
            + "* error decoding 'receivers': error reading configuration for \"otlp\": 1 error(s) decoding:\n\n"
            + "* 'protocols.grpc' has invalid keys: endpont\n\n"
            + "Hint: Temporarily restore the previous behavior by disabling \n"
            + "      the `confmap.strictlyTypedInput` feature gate. More details at:\n"
            + "      https://github.com/open-telemetry/opentelemetry-collector/issues/10552",
            e.Message);
    }

    [Fact]
    public async Task The_logging_exporter_gets_its_deprecation_error()
    {
        const string yaml = """
            receivers: {otlp: {protocols: {grpc: {}}}}
            exporters: {logging: {}}
            service: {pipelines: {traces: {receivers: [otlp], exporters: [logging]}}}
            """;
        var e = await Assert.ThrowsAsync<CollectorStartException>(() =>
            CollectorInstance.StartAsync(yaml, CollectorInstance.CreateContext(CollectorTestKit.Address(42)), TestContext.Current.CancellationToken));
        Assert.EndsWith("'exporters' the logging exporter has been deprecated, use the debug exporter instead", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Env_references_see_only_the_container_env_and_an_unset_one_is_empty_with_a_warning()
    {
        // Given a header from an unset variable, one with a default, and a file reference to a pod file
        var ct = TestContext.Current.CancellationToken;
        using var root = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(root.Path, "vault", "secrets"));
        await File.WriteAllTextAsync(Path.Combine(root.Path, "vault", "secrets", "dt"), "dt0c01.FROMFILE\n", ct);
        const string yaml = """
            receivers: {otlp: {protocols: {http: {endpoint: "${env:MY_POD_IP}:4318"}}}}
            exporters:
              otlphttp:
                endpoint: http://127.0.0.1:9
                headers: {Authorization: "Api-Token ${env:DT_API_TOKEN}", X-Default: "${env:NOPE:-fallback}", X-File: "${file:/vault/secrets/dt}", X-Dollar: "$$5"}
            service:
              telemetry: {metrics: {level: none}}
              pipelines: {traces: {receivers: [otlp], exporters: [otlphttp]}}
            """;
        var pod = CollectorTestKit.Address(43);
        Environment.SetEnvironmentVariable("DT_API_TOKEN", "from-the-lab-process");
        var context = CollectorInstance.CreateContext(pod, env: [new("MY_POD_IP", pod.ToString())], podRoot: root.Path);

        // When the collector starts
        await using var collector = await CollectorInstance.StartAsync(yaml, context, ct);

        // Then the lab process's env is not seen: the token is empty, with upstream's warning naming the variable
        var headers = collector.Service.Config.Exporters[ComponentId.Parse("otlphttp")].Settings!;
        var map = (YamlDotNet.RepresentationModel.YamlMappingNode)headers.Children[new YamlDotNet.RepresentationModel.YamlScalarNode("headers")];
        string Header(string name) => ((YamlDotNet.RepresentationModel.YamlScalarNode)map.Children[new YamlDotNet.RepresentationModel.YamlScalarNode(name)]).Value!;
        Assert.Equal("Api-Token ", Header("Authorization"));
        Assert.Equal("fallback", Header("X-Default"));
        Assert.Equal("dt0c01.FROMFILE", Header("X-File"));
        Assert.Equal("$5", Header("X-Dollar"));
        Assert.Contains(collector.Log.Lines(), l => l.Contains("\twarn\tConfiguration references unset environment variable\t{\"name\": \"DT_API_TOKEN\"}", StringComparison.Ordinal));
        Environment.SetEnvironmentVariable("DT_API_TOKEN", null);
    }

    [Fact]
    public async Task A_missing_file_reference_fails_with_upstreams_text()
    {
        const string yaml = """
            receivers: {otlp: {protocols: {grpc: {}}}}
            exporters: {otlphttp: {endpoint: "${file:/vault/secrets/dt}"}}
            service: {pipelines: {traces: {receivers: [otlp], exporters: [otlphttp]}}}
            """;
        var e = await Assert.ThrowsAsync<CollectorStartException>(() =>
            CollectorInstance.StartAsync(yaml, CollectorInstance.CreateContext(CollectorTestKit.Address(44)), TestContext.Current.CancellationToken));
        Assert.StartsWith("unable to read the file /vault/secrets/dt", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Agent_to_gateway_to_Dynatrace_delivers_every_span_and_the_counters_match()
    {
        // Given a mock Dynatrace, a gateway (otlp → batch → otlphttp with the token from its env) and an agent
        // (otlp → batch → otlp exporter to the gateway), each on its own pod address
        var ct = TestContext.Current.CancellationToken;
        await using var dynatrace = new DynatraceBackendBuilder().WithToken(Token).Build();
        await dynatrace.StartAsync(ct);
        var gatewayPod = CollectorTestKit.Address(45);
        var agentPod = CollectorTestKit.Address(46);
        var gatewayYaml = $$$"""
            receivers:
              otlp:
                protocols: {grpc: {endpoint: "0.0.0.0:4317"}}
            processors:
              batch: {timeout: 50ms, send_batch_size: 64}
            exporters:
              otlphttp:
                endpoint: {{{dynatrace.OtlpEndpoint}}}
                headers: {Authorization: "Api-Token ${env:DT_API_TOKEN}"}
            service:
              telemetry:
                metrics:
                  readers:
                    - pull:
                        exporter:
                          prometheus: {host: 0.0.0.0, port: 8888}
              pipelines:
                traces: {receivers: [otlp], processors: [batch], exporters: [otlphttp]}
            """;
        var agentYaml = $$$"""
            receivers:
              otlp:
                protocols: {http: {endpoint: "0.0.0.0:4318"}}
            processors:
              batch: {timeout: 50ms}
            exporters:
              otlp:
                endpoint: {{{gatewayPod}}}:4317
                tls: {insecure: true}
            service:
              telemetry: {metrics: {level: none}}
              pipelines:
                traces: {receivers: [otlp], processors: [batch], exporters: [otlp]}
            """;
        await using var gateway = await CollectorInstance.StartAsync(gatewayYaml,
            CollectorInstance.CreateContext(gatewayPod, env: [new("DT_API_TOKEN", Token)], podName: "gateway"), ct);
        await using var agent = await CollectorInstance.StartAsync(agentYaml, CollectorInstance.CreateContext(agentPod, podName: "agent"), ct);

        // When an application exports 200 spans in 40 traces to the agent over OTLP/HTTP
        var source = "lab.tests.chain." + Guid.NewGuid().ToString("N");
        using (var provider = Sdk.CreateTracerProviderBuilder()
                   .ConfigureResource(r => r.AddService("checkout"))
                   .AddSource(source)
                   .AddOtlpExporter(o =>
                   {
                       o.Protocol = OtlpExportProtocol.HttpProtobuf;
                       o.Endpoint = new Uri($"http://{agentPod}:4318/v1/traces");
                   })
                   .Build())
        {
            using var activitySource = new ActivitySource(source);
            for (var t = 0; t < 40; t++)
            {
                using var root = activitySource.StartActivity("GET /checkout", ActivityKind.Server);
                for (var s = 0; s < 4; s++)
                {
                    using var child = activitySource.StartActivity("step " + s);
                }
            }

            provider.ForceFlush();
        }

        // Then Dynatrace stores all 200 spans, from the gateway's pod, with the token it was given
        Assert.True(await dynatrace.Captures.WaitUntilAsync(c => c.SpansOfService("checkout").Count >= 200, Wait, ct));
        Assert.Equal(200, dynatrace.Captures.SpansOfService("checkout").Count);
        Assert.Equal(40, dynatrace.Captures.SpansOfService("checkout").Select(s => s.TraceId).Distinct().Count());

        // And every counter along the chain says 200: agent received/sent, gateway received/sent, no failures
        KeyValuePair<string, string>[] Labels(string k, string v, string t) => t.Length == 0 ? [new(k, v)] : [new(k, v), new("transport", t)];
        Assert.Equal(200, agent.Telemetry.Counter("otelcol_receiver_accepted_spans", "").Value(Labels("receiver", "otlp", "http")));
        // (each hop counts after the next hop answered, so Dynatrace can hold the spans before the agent counted them sent)
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(
            gateway.Telemetry.Counter("otelcol_exporter_sent_spans", "").Value(Labels("exporter", "otlphttp", "")) == 200
            && gateway.Telemetry.Counter("otelcol_receiver_accepted_spans", "").Value(Labels("receiver", "otlp", "grpc")) == 200
            && agent.Telemetry.Counter("otelcol_exporter_sent_spans", "").Value(Labels("exporter", "otlp", "")) == 200), Wait, ct));
        Assert.Equal(0, gateway.Telemetry.Counter("otelcol_exporter_send_failed_spans", "").Total);

        // And the gateway's :8888/metrics serves those counters with upstream's names and labels
        using var http = new HttpClient();
        var scraped = await http.GetStringAsync(gateway.MetricsUri, ct);
        Assert.Equal(new Uri($"http://{gatewayPod}:8888/metrics"), gateway.MetricsUri);
        Assert.Contains("otelcol_receiver_accepted_spans{receiver=\"otlp\",transport=\"grpc\"} 200\n", scraped, StringComparison.Ordinal);
        Assert.Contains("otelcol_exporter_sent_spans{exporter=\"otlphttp\"} 200\n", scraped, StringComparison.Ordinal);
        Assert.Contains("otelcol_exporter_queue_capacity{data_type=\"traces\",exporter=\"otlphttp\"} 1000\n", scraped, StringComparison.Ordinal);
        Assert.Contains("# TYPE otelcol_processor_batch_batch_send_size histogram", scraped, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, string.Join('\n', gateway.Log.Lines()), StringComparison.Ordinal);
    }
}
