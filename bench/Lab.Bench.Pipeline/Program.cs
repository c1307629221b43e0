using System.Diagnostics;
using System.Globalization;
using System.Net;
using OtelLab.Backends.Datadog;
using OtelLab.Backends.Dynatrace;
using OtelLab.Bench.Pipeline;
using OtelLab.Load.Traces;
using OtelLab.Sim.Collector.Pipeline;
using OtelLab.Sim.Collector.Processors.TailSampling;
using OtelLab.Sim.Collector.Runtime;
using OtelLab.Sim.Networking;

// End-to-end pipeline benchmark:
//   dotnet run -c Release --project bench/Lab.Bench.Pipeline [-- <seconds per rate> <spans/s,...> <decision_wait s>]
// Trace load (3 services on pod addresses, 5 spans/trace, 5 % errors, 5 % slow) → agent collector (otlp → batch →
// loadbalancing by traceID, static resolver) → 2 gateway collectors (otlp → tail_sampling with payments-fixed's
// policies → batch → otlphttp/dynatrace + datadog) → the mock Dynatrace and Datadog, all real CollectorInstances on
// loopback in this process. Per offered rate it prints offered / accepted at the agent / kept at the gateways / stored
// at each backend, the process CPU per 10k offered spans (pipeline run, and the load generator alone into a sink, side
// by side) and the tail-sampling decision latency after decision_wait expiry.
var inv = CultureInfo.InvariantCulture;
var seconds = args.Length > 0 ? double.Parse(args[0], inv) : 3;
var offeredRates = args.Length > 1 ? args[1].Split(',').Select(r => double.Parse(r, inv)).ToArray() : [2000, 5000, 10000];
var decisionWait = args.Length > 2 ? int.Parse(args[2], inv) : 2;
const int SpansPerTrace = 5;
const string DtToken = "dt0c01.BENCHPIPELINE.0123456789abcdef";
const string DdKey = "0123456789abcdef0123456789abcdef";
var agentAddress = IPAddress.Parse("127.0.250.10");
IPAddress[] gatewayAddresses = [IPAddress.Parse("127.0.250.20"), IPAddress.Parse("127.0.250.21")];
var services = new[] { "checkout", "payments", "ledger" }
    .Select((name, i) => new EmulatedService(name, IPAddress.Parse($"127.0.250.{i + 1}"), new Uri($"http://{agentAddress}:4317")))
    .ToArray();

var agentYaml = $$"""
    receivers:
      otlp:
        protocols:
          grpc: {endpoint: "0.0.0.0:4317"}
    processors:
      batch: {}
    exporters:
      loadbalancing/gateway:
        routing_key: traceID
        protocol:
          otlp:
            tls: {insecure: true}
        resolver:
          static: {hostnames: [{{string.Join(", ", gatewayAddresses.Select(a => $"\"{a}:4317\""))}}]}
    service:
      pipelines:
        traces: {receivers: [otlp], processors: [batch], exporters: [loadbalancing/gateway]}
    """;
var gatewayYaml = $$$"""
    receivers:
      otlp:
        protocols:
          grpc: {endpoint: "0.0.0.0:4317"}
    processors:
      tail_sampling:
        decision_wait: {{{decisionWait}}}s
        policies:
          - {name: errors, type: status_code, status_code: {status_codes: [ERROR]}}
          - {name: slow, type: latency, latency: {threshold_ms: 500}}
          - {name: baseline, type: probabilistic, probabilistic: {sampling_percentage: 10}}
      batch: {}
    exporters:
      otlphttp/dynatrace:
        endpoint: https://abc12345.live.dynatrace.com/api/v2/otlp
        headers: {Authorization: "Api-Token ${env:DT_API_TOKEN}"}
      datadog:
        api: {key: "${env:DD_API_KEY}", site: datadoghq.com}
    service:
      pipelines:
        traces: {receivers: [otlp], processors: [tail_sampling, batch], exporters: [otlphttp/dynatrace, datadog]}
    """;

Console.WriteLine(string.Create(inv,
    $"== agent → loadbalancing(traceID) → 2 gateways (tail_sampling decision_wait {decisionWait}s: errors, >500 ms, 10 %) → Dynatrace + Datadog mocks; {SpansPerTrace} spans/trace, {seconds:0.#} s per rate, {Environment.ProcessorCount} cores, one process =="));
// Warm-up (not printed): JIT and connection set-up of every component, so the first rate is not charged for them.
var requested = seconds;
seconds = 1;
await GeneratorOnlyAsync(offeredRates[0]);
await PipelineAsync(offeredRates[0], 0);
seconds = requested;
var rows = new List<string>();
foreach (var offered in offeredRates)
{
    var generatorCpu = await GeneratorOnlyAsync(offered);
    rows.Add(await PipelineAsync(offered, generatorCpu));
}

Console.WriteLine();
Console.WriteLine("offered/s | agent accepted/s over the run (ratio to offered) | gw recv | kept (ratio) | DT stored | DD stored | stored/kept DT DD | CPU-s/10k spans: pipeline, generator alone, difference | decision latency after expiry p50 / p99 / max (traces)");
rows.ForEach(Console.WriteLine);
Console.WriteLine();
Console.WriteLine("upstream testbed bar (collector.md): 10k spans/s within 20 % of one core per collector = 0.20 CPU-s per 10k spans, one collector, OTLP in/out, no sampling.");
Console.WriteLine("Here the difference column holds 3 collectors (agent + 2 gateways: receive, batch, loadbalance, tail-sample, 2 exporters), both mock backends decoding and storing, in one .NET process.");
return 0;

// The load generator alone (same rate and protocol) into a plain OTLP sink: the CPU the pipeline figure includes but is not the pipeline's.
async Task<double> GeneratorOnlyAsync(double spansPerSecond)
{
    await using var sink = await OtlpTraceSink.StartAsync(new IPEndPoint(agentAddress, 4317), null, CancellationToken.None);
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var report = await Load(spansPerSecond).RunForAsync(TimeSpan.FromSeconds(seconds), CancellationToken.None);
    await WaitAsync(() => sink.SpansReceived >= report.SpansSent, TimeSpan.FromSeconds(10));
    return (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds * 10_000 / Math.Max(1, report.SpansGenerated);
}

async Task<string> PipelineAsync(double spansPerSecond, double generatorCpuPer10k)
{
    var ct = CancellationToken.None;
    await using var dynatrace = new DynatraceBackendBuilder().WithToken(DtToken).WithAddress(IPAddress.Parse("127.0.250.30")).Build();
    await using var datadog = new DatadogBackendBuilder().WithApiKey(DdKey).WithAddress(IPAddress.Parse("127.0.250.31")).Build();
    await dynatrace.StartAsync(ct);
    await datadog.StartAsync(ct);
    var egress = new ExternalEndpoints();
    egress.Map("abc12345.live.dynatrace.com", dynatrace.BaseAddress);
    egress.Map("api.datadoghq.com", datadog.BaseAddress);
    egress.Map("trace.agent.datadoghq.com", datadog.BaseAddress);
    var sampling = new ProbedTailSamplingFactory();
    var catalog = ComponentCatalog.All.Select(f => f is TailSamplingProcessorFactory ? sampling : f).ToList();
    var options = new CollectorInstanceOptions { Catalog = catalog, Egress = egress, ServeTelemetry = false };
    var gateways = new List<CollectorInstance>();
    for (var i = 0; i < gatewayAddresses.Length; i++)
    {
        var context = CollectorInstance.CreateContext(gatewayAddresses[i], env: [new("DT_API_TOKEN", DtToken), new("DD_API_KEY", DdKey)], podName: $"otel-gateway-{i}");
        gateways.Add(await CollectorInstance.StartAsync(gatewayYaml, context, options, ct));
    }

    var agent = await CollectorInstance.StartAsync(agentYaml, CollectorInstance.CreateContext(agentAddress, podName: "otel-agent"), options, ct);
    try
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var report = await Load(spansPerSecond).RunForAsync(TimeSpan.FromSeconds(seconds), ct);
        var accepted = agent.Telemetry.CounterOrExisting("otelcol_receiver_accepted_spans", string.Empty).Total;

        // Drain: every accepted span reached a gateway and was decided, and every kept span is stored at both backends
        // (the Datadog exporter flushes traces on its interval). Bounded: decision_wait + 1 s tick + 20 s.
        await WaitAsync(
            () => sampling.ReceivedSpans >= accepted && sampling.PendingSpans == 0
                && dynatrace.Captures.Summary().AcceptedSpans >= sampling.KeptSpans && datadog.Captures.Summary().AcceptedSpans >= sampling.KeptSpans,
            TimeSpan.FromSeconds(decisionWait + 21));
        var cpuPer10k = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds * 10_000 / Math.Max(1, report.SpansGenerated);
        var kept = sampling.KeptSpans;
        var received = sampling.ReceivedSpans;
        var dt = dynatrace.Captures.Summary().AcceptedSpans;
        var dd = datadog.Captures.Summary().AcceptedSpans;
        var latencies = sampling.DecisionLatenciesMs.Order().ToArray();
        var acceptedPerSecond = accepted / report.Elapsed.TotalSeconds;
        var loss = report.SpansFailed + report.SpansDropped > 0 ? $" | load failed {report.SpansFailed} dropped {report.SpansDropped}" : string.Empty;
        return string.Create(inv,
            $"{report.SpansGeneratedPerSecond,9:0} | {acceptedPerSecond,9:0} ({accepted / (double)Math.Max(1, report.SpansGenerated):0.000}) | {received,7} | {kept,6} ({kept / (double)Math.Max(1, received):0.000}) | {dt,9} | {dd,9} | {dt / (double)Math.Max(1, kept):0.000} {dd / (double)Math.Max(1, kept):0.000} | " +
            $"{cpuPer10k,6:0.000} {generatorCpuPer10k,6:0.000} {cpuPer10k - generatorCpuPer10k,6:0.000} | {Quantile(latencies, 0.5),6:0.0} / {Quantile(latencies, 0.99),6:0.0} / {Quantile(latencies, 1),6:0.0} ms ({latencies.Length}){loss}");
    }
    finally
    {
        await agent.DisposeAsync();
        foreach (var gateway in gateways)
        {
            await gateway.DisposeAsync();
        }
    }
}

TraceLoad Load(double spansPerSecond) => new(new TraceLoadOptions
{
    Services = services, Protocol = OtlpProtocol.Grpc, TracesPerSecond = spansPerSecond / SpansPerTrace, SpansPerTrace = SpansPerTrace,
    ErrorRatio = 0.05, SlowRatio = 0.05,
});

static async Task WaitAsync(Func<bool> condition, TimeSpan timeout)
{
    var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
    while (!condition() && Stopwatch.GetTimestamp() < deadline)
    {
        await Task.Delay(50);
    }
}

static double Quantile(double[] sorted, double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
