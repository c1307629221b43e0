using System.Text.Json;
using OtelLab.AppHost;
using OtelLab.Tests.Sim.Collector.Processors.TailSampling;

namespace OtelLab.Tests.AppHost;

[Trait("Category", "Unit")]
public sealed class SamplingCommandTests : IDisposable
{
    private const string ErrorTrace = "df2c33b94b0e354973b13a6335d5d289";
    private const string SlowTrace = "1f3b160023f3bf50206b5fc25357c08b";
    private const string BaselineTrace = "993aedaffbfc5f70d997521560e4112b"; // FNV hash under the 10 % threshold (golden vectors)
    private const string PlainTrace = "ef3b2fbb9b385a6fbe3ebb969b9588b7";

    private const string CollectorConfig = """
        receivers: {otlp: {protocols: {grpc: {}}}}
        processors:
          tail_sampling:
            decision_wait: 10s
            policies:
              - {name: errors, type: status_code, status_code: {status_codes: [ERROR]}}
              - {name: slow, type: latency, latency: {threshold_ms: 500}}
              - {name: baseline, type: probabilistic, probabilistic: {sampling_percentage: 10}}
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("otel-lab-sampling-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string File(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    private string Traces() => File("traces.json", $$$"""
        {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"checkout"}}]},
          "scopeSpans":[{"spans":[
            {"traceId":"{{{ErrorTrace}}}","spanId":"0000000000000001","name":"pay","startTimeUnixNano":"1000000000","endTimeUnixNano":"1100000000","status":{"code":"STATUS_CODE_ERROR"}},
            {"traceId":"{{{SlowTrace}}}","spanId":"0000000000000002","name":"pay","startTimeUnixNano":"1000000000","endTimeUnixNano":"1700000000"},
            {"traceId":"{{{BaselineTrace}}}","spanId":"0000000000000003","name":"cart","startTimeUnixNano":"1000000000","endTimeUnixNano":"1010000000"},
            {"traceId":"{{{PlainTrace}}}","spanId":"0000000000000004","name":"cart","startTimeUnixNano":1000000000,"endTimeUnixNano":1010000000},
            {"traceId":"{{{ErrorTrace}}}","spanId":"0000000000000005","parentSpanId":"0000000000000001","name":"db","startTimeUnixNano":"1010000000","endTimeUnixNano":"1020000000"}
          ]}]}]}
        """);

    private static async Task<(int Exit, string Out, string Err)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await LabCli.RunAsync(args, stdout, stderr, TestContext.Current.CancellationToken);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Csv_lists_each_trace_with_the_decision_and_every_policy_vote()
    {
        // Given a raw collector config with the guide's three policies and four traces
        var (exit, output, error) = await Run("sampling", "--config", File("collector.yaml", CollectorConfig), "--traces", Traces(), "--format", "csv");

        // Then each trace is decided as upstream would, with the votes in config order
        Assert.Equal(0, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("trace_id,decision,policies", lines[0]);
        Assert.Equal($"{ErrorTrace},Sampled,errors=Sampled;slow=NotSampled;baseline=NotSampled", lines[1]);
        Assert.Equal($"{SlowTrace},Sampled,errors=NotSampled;slow=Sampled;baseline=NotSampled", lines[2]);
        Assert.Equal($"{BaselineTrace},Sampled,errors=NotSampled;slow=NotSampled;baseline=Sampled", lines[3]);
        Assert.Equal($"{PlainTrace},NotSampled,errors=NotSampled;slow=NotSampled;baseline=NotSampled", lines[4]);
        Assert.Equal(5, lines.Length);

        // And the summary goes to stderr
        Assert.Contains("kept 3 of 4 traces (75.0 %), 4 of 5 spans", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reads_a_v1alpha1_cr_whose_config_is_a_string_and_reports_errors_at_the_file_line()
    {
        // Given a v1alpha1 CR whose embedded config has a lower-case status code on file line 13
        var manifest = File("collector.yaml", """
            apiVersion: opentelemetry.io/v1alpha1
            kind: OpenTelemetryCollector
            metadata:
              name: gateway
              namespace: obs
            spec:
              config: |
                receivers: {otlp: {}}
                processors:
                  tail_sampling:
                    policies:
                      - {name: ok, type: always_sample}
                      - {name: errors, type: status_code, status_code: {status_codes: [error]}}
            """);

        var (exit, _, error) = await Run("sampling", "--config", manifest, "--traces", Traces());

        // Then it is unusable input, named with file:line and how to fix it
        Assert.Equal(2, exit);
        Assert.Contains($"{manifest}:13:", error, StringComparison.Ordinal);
        Assert.Contains("failed to create policy evaluator for \"errors\": unknown status code \"error\", supported: OK, ERROR, UNSET", error, StringComparison.Ordinal);
        Assert.Contains("fix:", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluates_every_processor_of_a_v1beta1_cr_when_none_is_named_and_one_when_named()
    {
        var manifest = File("collector.yaml", """
            apiVersion: opentelemetry.io/v1beta1
            kind: OpenTelemetryCollector
            metadata: {name: gateway}
            spec:
              replicas: 3
              config:
                processors:
                  tail_sampling/errors:
                    policies: [{name: errors, type: status_code, status_code: {status_codes: [ERROR]}}]
                  tail_sampling/all:
                    policies: [{name: all, type: always_sample}]
            """);

        var (exit, output, error) = await Run("sampling", "--config", manifest, "--traces", Traces(), "--format", "csv");
        Assert.Equal(0, exit);
        Assert.Equal("processor,trace_id,decision,policies", output.Split('\n')[0]);
        Assert.Contains("2 tail_sampling processors found", error, StringComparison.Ordinal);
        Assert.Contains("runs 3 replicas", error, StringComparison.Ordinal);
        Assert.Contains($"tail_sampling/all in OpenTelemetryCollector gateway,{PlainTrace},Sampled,all=Sampled", output, StringComparison.Ordinal);

        var (namedExit, named, _) = await Run("sampling", "--config", manifest, "--traces", Traces(), "--format", "csv", "--processor", "tail_sampling/errors");
        Assert.Equal(0, namedExit);
        Assert.Equal("trace_id,decision,policies", named.Split('\n')[0]);
        Assert.Contains($"{PlainTrace},NotSampled,errors=NotSampled", named, StringComparison.Ordinal);

        var (unknownExit, _, unknownError) = await Run("sampling", "--config", manifest, "--traces", Traces(), "--processor", "tail_sampling/nope");
        Assert.Equal(2, unknownExit);
        Assert.Contains("no processor tail_sampling/nope; found: tail_sampling/errors", unknownError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_output_carries_decisions_votes_and_the_deciding_policy()
    {
        var (exit, output, _) = await Run("sampling", "--config", File("c.yaml", CollectorConfig), "--traces", Traces(), "--format", "json");
        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(output);
        var traces = doc.RootElement[0].GetProperty("traces");
        Assert.Equal(4, traces.GetArrayLength());
        Assert.Equal("slow", traces[1].GetProperty("sampledBy").GetString());
        Assert.Equal("Sampled", traces[2].GetProperty("policies").GetProperty("baseline").GetString());
        Assert.Equal(2, traces[0].GetProperty("spans").GetInt32());
        Assert.Equal("latency: Sampled when last end − first start ≥ 500 ms", doc.RootElement[0].GetProperty("votesOn").GetProperty("slow").GetString());
    }

    [Fact]
    public async Task Missing_files_no_processor_and_broken_traces_are_unusable_input()
    {
        var config = File("c.yaml", CollectorConfig);
        var (missing, _, missingError) = await Run("sampling", "--config", Path.Combine(_dir, "absent.yaml"), "--traces", Traces());
        Assert.Equal(2, missing);
        Assert.Contains("absent.yaml: file not found", missingError, StringComparison.Ordinal);

        var (none, _, noneError) = await Run("sampling", "--config", File("plain.yaml", "processors: {batch: {}}"), "--traces", Traces());
        Assert.Equal(2, none);
        Assert.Contains("no tail_sampling processor found", noneError, StringComparison.Ordinal);

        var broken = File("broken.json", "{\"resourceSpans\": [\n  {\"scopeSpans\": [}\n]}");
        var (bad, _, badError) = await Run("sampling", "--config", config, "--traces", broken);
        Assert.Equal(2, bad);
        Assert.Contains($"{broken}:2:", badError, StringComparison.Ordinal);

        var (yaml, _, yamlError) = await Run("sampling", "--config", File("bad.yaml", "processors:\n  tail_sampling: {policies: [\n"), "--traces", Traces());
        Assert.Equal(2, yaml);
        Assert.Contains("not valid YAML", yamlError, StringComparison.Ordinal);

        var (required, _, requiredError) = await Run("sampling", "--config", config);
        Assert.Equal(2, required);
        Assert.Contains("--traces", requiredError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Accepts_upstream_testdata_config_and_explains_each_policy()
    {
        // Given upstream's testdata config (a bare tail_sampling fragment) and a trace with key1=70, key4=true, key3 in its tracestate
        var traces = File("upstream.json", $$$"""
            {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"checkout"}}]},
              "scopeSpans":[{"spans":[
                {"traceId":"{{{ErrorTrace}}}","spanId":"0000000000000001","name":"pay","traceState":"key3=value2","startTimeUnixNano":"1000000000","endTimeUnixNano":"7000000000",
                 "status":{"code":"STATUS_CODE_OK"},"attributes":[{"key":"key1","value":{"intValue":"70"}},{"key":"key4","value":{"boolValue":true}}]},
                {"traceId":"{{{ErrorTrace}}}","spanId":"0000000000000002","parentSpanId":"0000000000000001","name":"db","startTimeUnixNano":"1000000000","endTimeUnixNano":"1100000000","status":{"code":"STATUS_CODE_OK"}}
              ]}]}]}
            """);

        var (exit, output, error) = await Run("sampling", "--config", UpstreamTestdataConfigTests.ConfigPath, "--traces", traces, "--format", "csv");

        // Then every policy votes as upstream's definitions say
        Assert.Equal(0, exit);
        var row = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1];
        Assert.Equal(
            $"{ErrorTrace},Sampled,test-policy-1=Sampled;test-policy-2=Sampled;test-policy-3=Sampled;test-policy-4=NotSampled;test-policy-5=NotSampled;"
            + "test-policy-6=NotSampled;test-policy-7=Sampled;test-policy-8=Sampled;test-policy-9=Sampled;test-policy-10=Sampled;test-policy-11=Sampled;"
            + "and-policy-1=NotSampled;composite-policy-1=Sampled",
            row);

        // And the summary says what each vote is about, with upstream's defaults filled in
        Assert.Contains("tail_sampling in processors fragment", error, StringComparison.Ordinal);
        Assert.Contains("votes on rate_limiting: token bucket of 35 spans/s, burst 70 spans", error, StringComparison.Ordinal);
        Assert.Contains("votes on composite: first sub-policy voting yes (test-composite-policy-1 500/s, test-composite-policy-2 250/s, test-composite-policy-3 0/s), within 1000 spans/s", error, StringComparison.Ordinal);
        Assert.Contains("votes on span_count: 2 ≤ spans ≤ 20", error, StringComparison.Ordinal);

        // And it points at what upstream does unlike the config reads: always_sample inside the composite has no share
        Assert.Contains("note: composite-policy-1: sub-policy test-composite-policy-3 has no rate_allocation share, so upstream allots it 0 spans/s and it never samples", error, StringComparison.Ordinal);
        Assert.DoesNotContain("policy_order [", error, StringComparison.Ordinal); // upstream's testdata lists them in declaration order
    }

    [Fact]
    public async Task Rate_budgets_are_spent_in_decision_order_on_the_traces_own_clock()
    {
        // Given 1 span/s (burst 2) and four one-span traces: three starting at t=1 s, one at t=20 s listed first
        var config = File("rate.yaml", """
            processors:
              tail_sampling:
                decision_wait: 5s
                policies: [{name: rate, type: rate_limiting, rate_limiting: {spans_per_second: 1}}]
            """);
        var traces = File("rate.json", $$$"""
            {"resourceSpans":[{"scopeSpans":[{"spans":[
              {"traceId":"{{{PlainTrace}}}","spanId":"0000000000000004","startTimeUnixNano":"20000000000","endTimeUnixNano":"20000000001"},
              {"traceId":"{{{ErrorTrace}}}","spanId":"0000000000000001","startTimeUnixNano":"1000000000","endTimeUnixNano":"1000000001"},
              {"traceId":"{{{SlowTrace}}}","spanId":"0000000000000002","startTimeUnixNano":"1000000000","endTimeUnixNano":"1000000001"},
              {"traceId":"{{{BaselineTrace}}}","spanId":"0000000000000003","startTimeUnixNano":"1000000000","endTimeUnixNano":"1000000001"}
            ]}]}]}
            """);

        var (exit, output, error) = await Run("sampling", "--config", config, "--traces", traces, "--format", "csv");

        // Then the burst takes the first two traces decided at t=6 s, the third finds the bucket empty, and the trace
        // decided at t=25 s finds it refilled; rows keep the input order
        Assert.Equal(0, exit);
        Assert.Equal(
            [$"{PlainTrace},Sampled,rate=Sampled", $"{ErrorTrace},Sampled,rate=Sampled", $"{SlowTrace},Sampled,rate=Sampled", $"{BaselineTrace},NotSampled,rate=NotSampled"],
            output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1..]);
        Assert.Contains("rate budgets (rate_limiting, bytes_limiting, composite) are spent in decision order", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{name: odd, type: ottl_condition, ottl_condition: {span: ['Len(name) > 3']}}", "failed to create policy evaluator for \"odd\": OTTL condition \"Len(name) > 3\": converter Len is not emulated by the lab")]
    [InlineData("{name: odd, type: sometimes}", "failed to create policy evaluator for \"odd\": unknown sampling policy type sometimes")]
    [InlineData("{name: odd, type: span_count, span_count: {min: 2}}", "'policies[1].span_count' has invalid keys: min")]
    public async Task An_unusable_policy_is_reported_at_its_file_line(string policy, string message)
    {
        var config = File("bad-policy.yaml", $"""
            processors:
              tail_sampling:
                policies:
                  - {"{"}name: ok, type: always_sample{"}"}
                  - {policy}
            """);

        var (exit, _, error) = await Run("sampling", "--config", config, "--traces", Traces());

        Assert.Equal(2, exit);
        Assert.Contains($"{config}:5:", error, StringComparison.Ordinal);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Contains("fix:", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_composite_policy_order_that_upstream_ignores_is_pointed_out()
    {
        // Given a composite whose policy_order puts "all" first, though errors is declared first
        var config = File("composite.yaml", """
            processors:
              tail_sampling:
                policies:
                  - name: mix
                    type: composite
                    composite:
                      max_total_spans_per_second: 100
                      policy_order: [all, errors]
                      composite_sub_policy:
                        - {name: errors, type: status_code, status_code: {status_codes: [ERROR]}}
                        - {name: all, type: always_sample}
                      rate_allocation: [{policy: errors, percent: 1}, {policy: all, percent: 50}]
            """);

        var (exit, output, error) = await Run("sampling", "--config", config, "--traces", Traces(), "--format", "csv");

        // Then the error trace (2 spans) is tried on errors first, whose 1 span/s cannot hold it: NotSampled, as upstream
        Assert.Equal(0, exit);
        Assert.Contains($"{ErrorTrace},NotSampled,mix=NotSampled", output, StringComparison.Ordinal);
        Assert.Contains($"{PlainTrace},Sampled,mix=Sampled", output, StringComparison.Ordinal);
        Assert.Contains("note: mix: policy_order [all, errors] is not used upstream; sub-policies are tried in composite_sub_policy order [errors, all]", error, StringComparison.Ordinal);
    }
}
