using System.Net;
using OtelLab.Sim.Kubelet.Internal;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.SampleServices;

/// <summary>
/// checkout (Java + agent stand-in) → payments (Python + sitecustomize stand-in) → ledger (Node + the real
/// OpenTelemetry Node SDK), instrumented exactly by the env the operator's webhook injects, traced end to end.
/// </summary>
[Trait("Category", "Component")]
public sealed class SampleServiceTraceTests(ITestOutputHelper output)
{
    // The Instrumentation as a user would write it; the lab's defaulting webhook fills images etc.
    // Node: upstream's image exports over gRPC by default; the lab's receiver is OTLP/HTTP, so the CR says http/protobuf.
    private const string InstrumentationYaml = """
        apiVersion: opentelemetry.io/v1alpha1
        kind: Instrumentation
        metadata:
          name: lab
          namespace: shop
        spec:
          exporter:
            endpoint: {endpoint}
          propagators: [tracecontext, baggage]
          sampler:
            type: parentbased_traceidratio
            argument: "{samplerArgument}"
          java:
            env:
            - name: OTEL_EXPORTER_OTLP_PROTOCOL
              value: {javaProtocol}
          python:
            env:
            - name: OTEL_EXPORTER_OTLP_PROTOCOL
              value: {pythonProtocol}
          nodejs:
            env:
            - name: OTEL_EXPORTER_OTLP_PROTOCOL
              value: http/protobuf
            - name: OTEL_METRICS_EXPORTER
              value: none
            - name: OTEL_BSP_SCHEDULE_DELAY
              value: "200"
        """;

    private static readonly string[] ChainServices = ["checkout", "payments", "ledger"];

    [Fact]
    public async Task One_checkout_is_one_trace_across_java_python_and_node_with_parent_links()
    {
        SampleServiceChain.SkipUnlessRunnable();
        var ct = TestContext.Current.CancellationToken;

        // Given the three services, instrumented by the webhook's env, exporting OTLP/HTTP protobuf
        await using var chain = await SampleServiceChain.StartAsync(Yaml("http/protobuf", "http/protobuf"), new Dictionary<string, string>(), ct);

        // When one checkout is posted
        var status = await PostCheckoutAsync(chain, ct);

        // Then one trace holds SERVER → CLIENT → SERVER → CLIENT → SERVER across the three services
        Assert.Equal(HttpStatusCode.OK, status);
        var trace = await WaitForTraceAsync(chain, ct);
        var (checkoutServer, checkoutClient, paymentsServer, paymentsClient, ledgerServer) = Chain(trace);
        Assert.Equal(string.Empty, checkoutServer.ParentSpanId);
        Assert.All(trace, s => Assert.NotEqual(ReceivedSpan.StatusError, s.StatusCode));
        Assert.Equal(("POST", "/checkout", "200"), (checkoutServer.Attributes["http.request.method"], checkoutServer.Attributes["url.path"], checkoutServer.Attributes["http.response.status_code"]));
        Assert.Equal(("POST", "200", chain.PaymentsHost), (checkoutClient.Attributes["http.request.method"], checkoutClient.Attributes["http.response.status_code"], checkoutClient.Attributes["server.address"]));
        Assert.Equal(("/pay", "200"), (paymentsServer.Attributes["url.path"], paymentsServer.Attributes["http.response.status_code"]));
        Assert.Equal("201", paymentsClient.Attributes["http.response.status_code"]);
        Assert.Equal("201", ledgerServer.Attributes["http.response.status_code"]);

        // and each service's resource carries the webhook's OTEL_RESOURCE_ATTRIBUTES, expanded by the kubelet
        foreach (var (span, language) in new[] { (checkoutServer, "java"), (paymentsServer, "python"), (ledgerServer, "nodejs") })
        {
            var service = span.Service;
            Assert.Equal(language, span.Resource["telemetry.sdk.language"]);
            Assert.Equal(OperatorInjectedEnvironment.Ns, span.Resource["k8s.namespace.name"]);
            Assert.Equal(service, span.Resource["k8s.deployment.name"]);
            Assert.Equal(service, span.Resource["k8s.container.name"]);
            Assert.Equal(OperatorInjectedEnvironment.NodeName, span.Resource["k8s.node.name"]);
            Assert.Equal(OperatorInjectedEnvironment.PodName(service), span.Resource["k8s.pod.name"]);
            Assert.Equal($"{OperatorInjectedEnvironment.Ns}.{OperatorInjectedEnvironment.PodName(service)}.{service}", span.Resource["service.instance.id"]);
            Assert.Equal("1.0.0", span.Resource["service.version"]);
        }

        Assert.All(trace.Where(s => s.Service != "ledger"), s => Assert.Equal("protobuf", s.Encoding));
        Assert.Empty(chain.Receiver.Errors);
    }

    [Fact]
    public async Task A_failing_ledger_marks_every_span_of_the_chain_as_error_over_otlp_json()
    {
        SampleServiceChain.SkipUnlessRunnable();
        var ct = TestContext.Current.CancellationToken;

        // Given ledger with ERROR_RATIO=1, and the Java and Python agents exporting OTLP/HTTP JSON
        await using var chain = await SampleServiceChain.StartAsync(Yaml("http/json", "http/json"), new Dictionary<string, string> { ["ledger"] = "1" }, ct);

        // When one checkout is posted
        var status = await PostCheckoutAsync(chain, ct);

        // Then the 500 propagates up and every span in the chain has status ERROR (5xx on SERVER, >=4xx on CLIENT)
        Assert.Equal(HttpStatusCode.InternalServerError, status);
        var trace = await WaitForTraceAsync(chain, ct);
        var spans = Chain(trace);
        foreach (var span in new[] { spans.CheckoutServer, spans.CheckoutClient, spans.PaymentsServer, spans.PaymentsClient, spans.LedgerServer })
        {
            Assert.True(span.StatusCode == ReceivedSpan.StatusError, $"expected ERROR: {span}");
            Assert.Equal("500", span.Attributes["http.response.status_code"]);
        }

        Assert.All(trace.Where(s => s.Service != "ledger"), s => Assert.Equal("json", s.Encoding));
        Assert.Empty(chain.Receiver.Errors);
    }

    [Fact]
    public async Task With_ratio_zero_the_callers_sampled_flag_decides_for_the_whole_chain()
    {
        SampleServiceChain.SkipUnlessRunnable();
        var ct = TestContext.Current.CancellationToken;

        // Given sampler parentbased_traceidratio with argument 0 (roots are never sampled)
        await using var chain = await SampleServiceChain.StartAsync(Yaml("http/protobuf", "http/protobuf", samplerArgument: "0"), new Dictionary<string, string>(), ct);
        const string UnsampledTrace = "0af7651916cd43dd8448eb211c80319c";
        const string SampledTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
        const string CallerSpan = "00f067aa0ba902b7";

        // When a caller posts one checkout with flags 00, then one with flags 01
        Assert.Equal(HttpStatusCode.OK, await PostCheckoutAsync(chain, ct, $"00-{UnsampledTrace}-{CallerSpan}-00"));
        Assert.Equal(HttpStatusCode.OK, await PostCheckoutAsync(chain, ct, $"00-{SampledTrace}-{CallerSpan}-01"));

        // Then the sampled one is recorded by all three services under the caller's trace id and parent,
        var trace = await WaitForTraceAsync(chain, ct);
        var spans = Chain(trace);
        Assert.Equal((SampledTrace, CallerSpan), (spans.CheckoutServer.TraceId, spans.CheckoutServer.ParentSpanId));

        // and nothing of the unsampled one arrived: every service ended (and would have queued) it before the sampled one
        Assert.DoesNotContain(chain.Receiver.Spans, s => s.TraceId == UnsampledTrace);
        Assert.DoesNotContain(chain.Receiver.Spans, s => s.Attributes.GetValueOrDefault("url.path") == "/health");
    }

    [Fact]
    public async Task At_SIGTERM_ledger_ends_at_once_without_flushing_its_batch_as_upstreams_nodejs_image_does()
    {
        SampleServiceChain.SkipUnlessRunnable();
        var ct = TestContext.Current.CancellationToken;

        // Given the chain with ledger's batch span processor holding its spans for a minute, and one checkout through it
        var yaml = Yaml("http/protobuf", "http/protobuf").Replace("value: \"200\"", "value: \"60000\"", StringComparison.Ordinal);
        await using var chain = await SampleServiceChain.StartAsync(yaml, new Dictionary<string, string>(), ct);
        Assert.Equal(HttpStatusCode.OK, await PostCheckoutAsync(chain, ct));
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(chain.Receiver.Spans.Any(s => s.Service == "payments" && s.Kind == ReceivedSpan.KindServer)), TimeSpan.FromSeconds(60), ct));

        // When the kubelet's SIGTERM reaches ledger
        var ledger = chain.Processes.Single(p => p.Name == "ledger");
        Assert.True(ProcessSignals.Send(ProcessSignals.Tree(ledger.Pid)[0], ProcessSignals.SigTerm));
        await ledger.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromSeconds(30), ct);

        // Then it ended by the signal (Node's default action: upstream's autoinstrumentation.ts registers no SIGTERM
        // handler), and the span its batch held was never exported
        Assert.Equal(128 + ProcessSignals.SigTerm, ledger.ExitCode);
        Assert.DoesNotContain(chain.Receiver.Spans, s => s.Service == "ledger");
    }

    private static string Yaml(string javaProtocol, string pythonProtocol, string samplerArgument = "1") =>
        InstrumentationYaml.Replace("{javaProtocol}", javaProtocol, StringComparison.Ordinal)
            .Replace("{pythonProtocol}", pythonProtocol, StringComparison.Ordinal)
            .Replace("{samplerArgument}", samplerArgument, StringComparison.Ordinal);

    private static async Task<HttpStatusCode> PostCheckoutAsync(SampleServiceChain chain, CancellationToken ct, string? traceparent = null)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Post, chain.Checkout.BaseUrl + "/checkout") { Content = new StringContent("{\"cart\":1}") };
        if (traceparent is not null)
        {
            request.Headers.Add("traceparent", traceparent);
        }

        using var response = await http.SendAsync(request, ct);
        return response.StatusCode;
    }

    /// <summary>Waits until the trace started by POST /checkout holds spans from all three services, ledger's SERVER span included.</summary>
    private async Task<IReadOnlyList<ReceivedSpan>> WaitForTraceAsync(SampleServiceChain chain, CancellationToken ct)
    {
        IReadOnlyList<ReceivedSpan> trace = [];
        var complete = await Eventually.WaitAsync(
            () =>
            {
                var root = chain.Receiver.Spans.FirstOrDefault(s => s.Service == "checkout" && s.Kind == ReceivedSpan.KindServer && s.Attributes.GetValueOrDefault("url.path") == "/checkout");
                trace = root is null ? [] : chain.Receiver.Spans.Where(s => s.TraceId == root.TraceId).ToList();
                return Task.FromResult(trace.Count >= 5 && trace.Any(s => s.Service == "ledger" && s.Kind == ReceivedSpan.KindServer));
            },
            TimeSpan.FromSeconds(60),
            ct);
        foreach (var span in trace)
        {
            output.WriteLine(span.ToString());
        }

        Assert.True(complete, $"the trace did not complete within 60 s; received {chain.Receiver.Spans.Count} spans\n"
            + string.Join("\n", chain.Receiver.Spans) + "\n" + string.Join("\n", chain.Processes.Select(p => $"--- {p.Name}\n{p.Output}")));
        return trace;
    }

    private static (ReceivedSpan CheckoutServer, ReceivedSpan CheckoutClient, ReceivedSpan PaymentsServer, ReceivedSpan PaymentsClient, ReceivedSpan LedgerServer) Chain(IReadOnlyList<ReceivedSpan> trace)
    {
        Assert.Equal(ChainServices.Order(StringComparer.Ordinal), trace.Select(s => s.Service).Distinct().Order(StringComparer.Ordinal));
        var checkoutServer = Assert.Single(trace, s => s.Service == "checkout" && s.Kind == ReceivedSpan.KindServer);
        var checkoutClient = Assert.Single(trace, s => s.Service == "checkout" && s.Kind == ReceivedSpan.KindClient);
        var paymentsServer = Assert.Single(trace, s => s.Service == "payments" && s.Kind == ReceivedSpan.KindServer);
        var paymentsClient = Assert.Single(trace, s => s.Service == "payments" && s.Kind == ReceivedSpan.KindClient);
        var ledgerServer = Assert.Single(trace, s => s.Service == "ledger" && s.Kind == ReceivedSpan.KindServer);
        Assert.Equal(checkoutServer.SpanId, checkoutClient.ParentSpanId);
        Assert.Equal(checkoutClient.SpanId, paymentsServer.ParentSpanId);
        Assert.Equal(paymentsServer.SpanId, paymentsClient.ParentSpanId);
        Assert.Equal(paymentsClient.SpanId, ledgerServer.ParentSpanId);
        return (checkoutServer, checkoutClient, paymentsServer, paymentsClient, ledgerServer);
    }
}
