using System.Net;
using System.Net.Sockets;
using k8s.Models;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Scenarios;

/// <summary>
/// The sample services run by the simulated kubelets as processes, injected by the operator's webhook, exporting to
/// the node's agent (a recording OTLP receiver standing in for the collector image).
/// </summary>
[Trait("Category", "Lab")]
public sealed class SampleServicesOnTheClusterTests
{
    private static readonly string[] Services = ["checkout", "payments", "ledger"];

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Payments_fixed_one_checkout_request_yields_one_trace_from_the_three_services_at_each_nodes_agent_from_the_pod_IPs()
    {
        ScenarioRun.SkipUnlessRunnable();
        var ct = TestContext.Current.CancellationToken;

        // Given payments-fixed on the cluster: checkout (Java) → payments (Python) → ledger (Node), each injected
        await using var run = await ScenarioRun.StartAsync("payments-fixed", ct);
        await run.WaitServingAsync("payments", Services, ct);

        // When one request goes to checkout's pod
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var checkout = run.Pod("payments", "checkout");
        using var response = await http.PostAsync($"http://{checkout.Status.PodIP}:8080/checkout", new StringContent("{}"), ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}\n{run.Describe("payments")}");

        // Then the agents receive one trace with spans from all three services (the Node SDK batches for 5 s)
        var pods = Services.ToDictionary(s => s, s => run.Pod("payments", s));
        // (the readiness probes' GET /health make one-span traces of their own: the POST's trace is the one crossing services)
        List<IGrouping<string, AgentSpan>> Crossing() => run.Collectors.Spans.GroupBy(s => s.Span.TraceId).Where(g => g.Select(s => s.Span.Service).Distinct().Count() > 1).ToList();
        bool Complete() => Crossing() is [var t] && t.Count() >= 5;
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(Complete()), TimeSpan.FromSeconds(40), ct),
            string.Join("\n", run.Collectors.Spans.Where(s => !s.Span.Attributes.Values.Contains("/health"))) + "\n" + run.Describe("payments"));
        var spans = Assert.Single(Crossing()).ToList();
        var trace = spans[0].Span.TraceId;
        Assert.DoesNotContain(run.Collectors.Spans, s => s.Span.TraceId != trace && s.Span.Attributes.Values.Any(v => v.Contains("checkout", StringComparison.Ordinal) || v.Contains("/pay", StringComparison.Ordinal) || v.Contains("/entries", StringComparison.Ordinal)));

        // and the spans are parented checkout SERVER → checkout CLIENT → payments SERVER → payments CLIENT → ledger SERVER
        var byId = spans.ToDictionary(s => s.Span.SpanId);
        var root = Assert.Single(spans, s => s.Span.ParentSpanId.Length == 0);
        var chain = new List<AgentSpan> { root };
        while (spans.SingleOrDefault(s => s.Span.ParentSpanId == chain[^1].Span.SpanId) is { } child)
        {
            chain.Add(child);
        }

        Assert.Equal(
            ["checkout SERVER", "checkout CLIENT", "payments SERVER", "payments CLIENT", "ledger SERVER"],
            chain.Select(s => $"{s.Span.Service} {s.Span.KindName}"));
        Assert.Equal(spans.Count, chain.Count);
        Assert.All(spans, s => Assert.True(s.Span.ParentSpanId.Length == 0 || byId.ContainsKey(s.Span.ParentSpanId)));

        // and each service's spans arrived at the agent on its own node, from its pod IP (hostPort → agent pod)
        foreach (var s in spans)
        {
            var pod = pods[s.Span.Service];
            Assert.Equal(pod.Spec.NodeName, s.Node);
            Assert.StartsWith("otel-agent-collector-", s.CollectorPod, StringComparison.Ordinal);
            Assert.True(pod.Status.PodIP == s.Source.ToString(), $"{s} expected from {pod.Status.PodIP}");
        }

        Assert.Equal(["grpc"], spans.Where(s => s.Span.Service == "ledger").Select(s => s.Protocol).Distinct());
        TestContext.Current.SendDiagnosticMessage($"trace {trace}:\n" + string.Join("\n", chain));
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task The_guides_checkout_exports_to_the_undefined_node_name_zero_spans_and_the_export_error_in_its_log_and_the_agent_refuses_at_the_node_address()
    {
        ScenarioRun.SkipUnlessRunnable();
        var ct = TestContext.Current.CancellationToken;

        // Given the guide's manifests: OTEL_EXPORTER_OTLP_ENDPOINT=http://$(K8S_NODE_NAME):4318 and an agent without hostPort
        await using var run = await ScenarioRun.StartAsync("payments", ct);
        await run.WaitServingAsync("payments", ["checkout"], ct);
        var checkout = run.Pod("payments", "checkout");

        // When a request goes to checkout (payments is not deployed in the guide: checkout answers 500 after its call)
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var response = await http.PostAsync($"http://{checkout.Status.PodIP}:8080/checkout", new StringContent("{}"), ct);

        // Then checkout's agent fails to export, saying why, in the container log
        bool ExportFailed() => run.Log("payments", checkout.Metadata.Name, "checkout").Any(l => l.Contains("otel-lab agent: export of", StringComparison.Ordinal) && l.Contains("failed", StringComparison.Ordinal));
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(ExportFailed()), TimeSpan.FromSeconds(20), ct), run.Describe("payments"));
        var error = run.Log("payments", checkout.Metadata.Name, "checkout").First(l => l.Contains("otel-lab agent: export of", StringComparison.Ordinal));
        Assert.Contains("$(K8S_NODE_NAME)", error, StringComparison.Ordinal);
        TestContext.Current.SendDiagnosticMessage("checkout log: " + error);

        // and no agent received a single span
        Assert.Empty(run.Collectors.Spans);

        // And the agent DaemonSet (no hostPort) runs and listens on its pod IP, but the node address refuses connections
        var agent = run.Cluster.List<V1Pod>("observability").Single(p => p.Metadata.Name.StartsWith("otel-agent-collector-", StringComparison.Ordinal) && p.Spec.NodeName == checkout.Spec.NodeName);
        Assert.True(await run.Cluster.WaitUntilAsync(c => c.Get<V1Pod>("observability", agent.Metadata.Name)?.Status?.Conditions?.Any(x => x.Type == "Ready" && x.Status == "True") == true, TimeSpan.FromSeconds(30), ct));
        await ConnectFromAsync(IPAddress.Parse(checkout.Status.PodIP), new IPEndPoint(IPAddress.Parse(agent.Status.PodIP), 4318), ct);
        var refused = await Assert.ThrowsAsync<SocketException>(() => ConnectFromAsync(IPAddress.Parse(checkout.Status.PodIP), new IPEndPoint(IPAddress.Parse(checkout.Status.HostIP), 4318), ct));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        Assert.Empty(run.HostPorts.Listening);
        TestContext.Current.SendDiagnosticMessage($"{checkout.Status.PodIP} → {checkout.Status.HostIP}:4318: {refused.SocketErrorCode} ({refused.Message})");
    }

    private static async Task ConnectFromAsync(IPAddress source, IPEndPoint target, CancellationToken ct)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(source, 0));
        await socket.ConnectAsync(target, ct);
    }
}
