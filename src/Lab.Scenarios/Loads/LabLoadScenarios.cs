using System.Net;
using System.Net.Http.Headers;
using k8s.Models;
using OtelLab.Load.Simulations;
using OtelLab.Scenarios.Definition;

namespace OtelLab.Scenarios.Loads;

/// <summary>
/// Turns a scenario's load plan into NBomber-style load scenarios against a running lab, one per target:
/// <list type="bullet">
/// <item><c>trace</c>: <c>POST /checkout</c> into the front service's pod from the first node's address (an ingress),
/// so every invocation is one trace through the sample services;</item>
/// <item><c>otlp</c>: one OTLP export of <c>load.otlp.spansPerRequest</c> spans to the agent on the first node —
/// OTLP/HTTP protobuf to <c>:4318/v1/traces</c> or, with <c>load.otlp.protocol: grpc</c>, OTLP/gRPC to <c>:4317</c>
/// (its hostPort; the agent pod's own address when it has none) — bypassing the services as telemetrygen does;</item>
/// <item><c>farm</c>: one farm pod deleted, as <c>kubectl delete pod</c> — its ReplicaSet replaces it, so a target
/// leaves and a new one (new address, new series) arrives for the Target Allocator to place.</item>
/// </list>
/// </summary>
public sealed class LabLoadScenarios : IDisposable
{
    private readonly List<IDisposable> _owned = [];

    private LabLoadScenarios(IReadOnlyList<LoadScenario> scenarios, IReadOnlyList<string> notes)
    {
        Scenarios = scenarios;
        Notes = notes;
    }

    public IReadOnlyList<LoadScenario> Scenarios { get; }

    /// <summary>What was aimed where (or why a target sends nothing), one line each.</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>The load scenarios of <paramref name="load"/> against <paramref name="lab"/>; a target that cannot be reached in this lab is left out, with the reason in <see cref="Notes"/>.</summary>
    public static LabLoadScenarios For(SimLab lab, LoadSpec load, TimeSpan defaultDuration)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(load);
        var cluster = lab.Cluster ?? throw new InvalidOperationException("the lab's cluster is not running");
        var source = cluster.NodeAddress(cluster.Nodes[0].Metadata.Name);
        var scenarios = new List<LoadScenario>();
        var notes = new List<string>();
        var owned = new List<IDisposable>();
        foreach (var (target, simulations) in load.Plan(defaultDuration))
        {
            switch (target)
            {
                case TargetedSimulation.Trace:
                    var front = load.Services.Count > 0 ? load.Services[0] : "checkout";
                    var pod = cluster.List<V1Pod>().FirstOrDefault(p => p.Metadata.Labels?.TryGetValue("app", out var app) == true && app == front && p.Status?.PodIP is not null);
                    if (pod is null)
                    {
                        notes.Add($"trace: no pod labelled app={front} runs; nothing sent");
                        continue;
                    }

                    var url = new Uri($"http://{pod.Status.PodIP}:8080/checkout");
                    var http = HttpStep.Json(url, source, "{\"items\":1}", TimeSpan.FromSeconds(30));
                    owned.Add(http);
                    scenarios.Add(new LoadScenario { Name = target, StepName = "POST /checkout", Step = http.InvokeAsync, Simulations = simulations });
                    notes.Add($"trace: POST {url} from {source}");
                    break;
                case TargetedSimulation.Otlp:
                    var grpc = load.OtlpProtocol == "grpc";
                    if (AgentOtlp(lab, grpc ? 4317 : 4318) is not { } endpoint)
                    {
                        notes.Add($"otlp: no collector pod listens on OTLP/{(grpc ? "gRPC :4317" : "HTTP :4318")}; nothing sent");
                        continue;
                    }

                    var spans = load.OtlpSpansPerRequest;
                    var random = new Random(7);
                    var gate = new Lock();
                    byte[] Payload()
                    {
                        lock (gate)
                        {
                            return OtlpSpanBatch.Create(spans, lab.Clock, random);
                        }
                    }

                    if (grpc)
                    {
                        var grpcStep = new OtlpGrpcStep(new Uri($"http://{endpoint}"), source, Payload, TimeSpan.FromSeconds(10));
                        owned.Add(grpcStep);
                        scenarios.Add(new LoadScenario { Name = target, StepName = $"OTLP/gRPC export ({spans} spans)", Step = grpcStep.InvokeAsync, Simulations = simulations });
                        notes.Add($"otlp: {spans} spans per request over OTLP/gRPC to {endpoint} from {source}");
                        break;
                    }

                    var otlp = new HttpStep(new Uri($"http://{endpoint}/v1/traces"), source, () =>
                    {
                        var content = new ByteArrayContent(Payload());
                        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
                        return content;
                    }, requestBytes: OtlpSpanBatch.Create(spans, lab.Clock, new Random(1)).Length, TimeSpan.FromSeconds(10));
                    owned.Add(otlp);
                    scenarios.Add(new LoadScenario { Name = target, StepName = $"OTLP/HTTP export ({spans} spans)", Step = otlp.InvokeAsync, Simulations = simulations });
                    notes.Add($"otlp: {spans} spans per request to http://{endpoint}/v1/traces from {source}");
                    break;
                case TargetedSimulation.Farm:
                    var churn = new Random(11);
                    scenarios.Add(new LoadScenario
                    {
                        Name = target,
                        StepName = "replace a target pod",
                        Step = _ => Task.FromResult(ReplaceFarmPod(lab, churn)),
                        Simulations = simulations,
                    });
                    notes.Add($"farm: each invocation deletes one farm pod (its ReplicaSet replaces it){(load.FarmSeriesInterval is { } every ? $"; series churn every {every.TotalSeconds:0.#} s" : "")}");
                    break;
            }
        }

        var result = new LabLoadScenarios(scenarios, notes);
        result._owned.AddRange(owned);
        return result;
    }

    public void Dispose()
    {
        foreach (var d in _owned)
        {
            d.Dispose();
        }
    }

    private static StepResponse ReplaceFarmPod(SimLab lab, Random random)
    {
        var pods = lab.Cluster!.List<V1Pod>().Where(p => p.Metadata.Labels?.ContainsKey("lab.otel/farm") == true && p.Metadata.DeletionTimestamp is null).ToList();
        if (pods.Count == 0)
        {
            return StepResponse.Fail("no farm pod");
        }

        V1Pod pod;
        lock (random)
        {
            pod = pods[random.Next(pods.Count)];
        }

        return lab.Cluster.Delete("Pod", pod.Metadata.NamespaceProperty, pod.Metadata.Name) ? StepResponse.Ok("deleted") : StepResponse.Fail("not found");
    }

    // The agent's OTLP port (4317 gRPC, 4318 HTTP): the node's hostPort when a collector pod on the first node exposes
    // one (what instrumented pods use), else a collector pod's own address.
    private static IPEndPoint? AgentOtlp(SimLab lab, int port)
    {
        var cluster = lab.Cluster!;
        var collectors = lab.Collectors.Select(c => (c.Namespace, c.Pod)).ToHashSet();
        var pods = cluster.List<V1Pod>().Where(p => collectors.Contains((p.Metadata.NamespaceProperty ?? "default", p.Metadata.Name)) && p.Status?.PodIP is not null).ToList();
        var node = cluster.Nodes[0].Metadata.Name;
        foreach (var pod in pods.Where(p => p.Spec.NodeName == node))
        {
            if (pod.Spec.Containers.SelectMany(c => c.Ports ?? []).Any(p => p.ContainerPort == port && p.HostPort == port) && cluster.NodeAddress(node) is { } address)
            {
                return new IPEndPoint(address, port);
            }
        }

        return pods.FirstOrDefault(p => p.Spec.Containers.SelectMany(c => c.Ports ?? []).Any(p => p.ContainerPort == port)) is { } any
            ? new IPEndPoint(IPAddress.Parse(any.Status.PodIP), port)
            : null;
    }
}
