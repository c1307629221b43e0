using System.Diagnostics;
using System.Globalization;
using OtelLab.Sim.Collector.Processors.TailSampling;
using OtelLab.Sim.Collector.Traces;

// Tail-sampling decision benchmark: policy evaluation alone, the full processor path (ingest + ticks), and the
// probabilistic policy's per-trace-id cost, measured side by side in one run.
// Usage: dotnet run -c Release --project bench/Lab.Bench.Sampling -- [traces=100000] [spansPerTrace=5]
var traceCount = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
var spansPerTrace = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;

var random = new Random(1);
var resources = new[] { "checkout", "payments", "ledger" }.Select(TelemetryResource.ForService).ToArray();
var traces = new List<(TraceId Id, TraceSpan[] Spans)>(traceCount);
for (var t = 0; t < traceCount; t++)
{
    var id = new TraceId((ulong)random.NextInt64(), (ulong)random.NextInt64());
    var error = random.NextDouble() < 0.05;
    var slow = random.NextDouble() < 0.05;
    var spans = new TraceSpan[spansPerTrace];
    for (var s = 0; s < spansPerTrace; s++)
    {
        var start = 1_700_000_000_000_000_000UL + ((ulong)s * 1_000_000);
        spans[s] = new TraceSpan
        {
            TraceId = id,
            SpanId = (ulong)((t * spansPerTrace) + s + 1),
            ParentSpanId = s == 0 ? 0 : (ulong)((t * spansPerTrace) + s),
            Name = "op",
            Status = error && s == spansPerTrace - 1 ? SpanStatusCode.Error : SpanStatusCode.Unset,
            StartTimeUnixNano = start,
            EndTimeUnixNano = start + (slow && s == 0 ? 700_000_000UL : 20_000_000UL),
            Resource = resources[s % resources.Length],
        };
    }

    traces.Add((id, spans));
}

var guide = new TailSamplingConfig
{
    DecisionWait = TimeSpan.FromSeconds(1),
    NumTraces = (ulong)traceCount * 2,
    Policies =
    [
        new() { Name = "errors", Type = "status_code", StatusCode = new(["ERROR"]) },
        new() { Name = "slow", Type = "latency", Latency = new(500) },
        new() { Name = "baseline", Type = "probabilistic", Probabilistic = new(SamplingPercentage: 10) },
    ],
};
var totalSpans = (long)traceCount * spansPerTrace;
Console.WriteLine($"tail_sampling benchmark: {traceCount:N0} traces × {spansPerTrace} spans = {totalSpans:N0} spans; policies errors/slow/baseline (the guide's); {Environment.ProcessorCount} cores");

// 1. Policy evaluation alone (makeDecision), with per-trace latency.
var policies = TailSamplingPolicySet.Create(guide);
Decide(policies, traces.Take(5_000)); // warm-up
var latencies = new long[traceCount];
var kept = 0;
var started = Stopwatch.GetTimestamp();
for (var i = 0; i < traceCount; i++)
{
    var before = Stopwatch.GetTimestamp();
    kept += policies.Decide(traces[i].Id, traces[i].Spans).Final == SamplingDecision.Sampled ? 1 : 0;
    latencies[i] = Stopwatch.GetTimestamp() - before;
}

var decideSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
Array.Sort(latencies);
Console.WriteLine($"decide only     : {traceCount / decideSeconds,12:N0} traces/s {totalSpans / decideSeconds,14:N0} spans/s   latency p50 {Micros(latencies, 0.50):N2} µs, p99 {Micros(latencies, 0.99):N2} µs, max {Micros(latencies, 1.0):N1} µs   kept {kept:N0} ({100.0 * kept / traceCount:N1} %)");

// 2. Full processor: ingest every span (batches of 100 spans, as a batch processor upstream would send), then the ticks
//    that decide them (decision_wait 1 s → the second tick), forwarding kept spans to a counting consumer.
long forwarded = 0;
var next = new TraceConsumer((spans, _) =>
{
    forwarded += spans.Count;
    return ValueTask.CompletedTask;
});
await using (var processor = new TailSamplingProcessor(guide, next, TimeProvider.System))
{
    var all = traces.SelectMany(t => t.Spans).ToArray();
    started = Stopwatch.GetTimestamp();
    for (var offset = 0; offset < all.Length; offset += 100)
    {
        await processor.ConsumeAsync(new ArraySegment<TraceSpan>(all, offset, Math.Min(100, all.Length - offset)), CancellationToken.None);
    }

    var ingestSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
    started = Stopwatch.GetTimestamp();
    await processor.TickAsync(CancellationToken.None);
    await processor.TickAsync(CancellationToken.None);
    var tickSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
    Console.WriteLine($"processor ingest: {traceCount / ingestSeconds,12:N0} traces/s {totalSpans / ingestSeconds,14:N0} spans/s   ({ingestSeconds * 1000:N0} ms for all spans)");
    Console.WriteLine($"processor ticks : {traceCount / tickSeconds,12:N0} traces/s {totalSpans / tickSeconds,14:N0} spans/s   ({tickSeconds * 1000:N0} ms for the tick deciding {traceCount:N0} traces); forwarded {forwarded:N0} spans");
    Console.WriteLine($"                  ledger: kept {processor.Ledger.SpansWith(TraceOutcome.Kept):N0} + sampled out {processor.Ledger.SpansWith(TraceOutcome.SampledOut):N0} + pending {processor.Ledger.Pending:N0} = received {processor.Ledger.Received:N0}");
}

// 3. The probabilistic policy alone versus the whole policy set, per trace id.
var probabilisticOnly = TailSamplingPolicySet.Create(guide with { Policies = [guide.Policies[2]] });
var ids = traces.Select(t => t.Id).ToArray();
const int rounds = 10;
started = Stopwatch.GetTimestamp();
for (var r = 0; r < rounds; r++)
{
    foreach (var id in ids)
    {
        probabilisticOnly.Decide(id, []);
    }
}

var probabilisticNs = Stopwatch.GetElapsedTime(started).TotalNanoseconds / (rounds * (double)ids.Length);
var hasher = new OtelLab.Sim.Collector.Processors.TailSampling.Internal.TraceIdHash("default-hash-seed");
ulong sink = 0;
started = Stopwatch.GetTimestamp();
for (var r = 0; r < rounds; r++)
{
    foreach (var id in ids)
    {
        sink ^= hasher.Hash(id);
    }
}

var hashNs = Stopwatch.GetElapsedTime(started).TotalNanoseconds / (rounds * (double)ids.Length);
var decideNs = decideSeconds * 1e9 / traceCount;
Console.WriteLine($"probabilistic   : FNV-1a hash {hashNs:N1} ns/trace id; probabilistic-only decision {probabilisticNs:N1} ns; 3-policy decision {decideNs:N1} ns → hash = {100 * hashNs / decideNs:N1} % of a decision (sink {sink & 1})");

static void Decide(TailSamplingPolicySet set, IEnumerable<(TraceId Id, TraceSpan[] Spans)> traces)
{
    foreach (var (id, spans) in traces)
    {
        set.Decide(id, spans);
    }
}

static double Micros(long[] sortedTicks, double quantile)
{
    var index = Math.Min(sortedTicks.Length - 1, (int)(quantile * sortedTicks.Length));
    return sortedTicks[index] * 1e6 / Stopwatch.Frequency;
}
