using System.Diagnostics;
using System.Globalization;
using System.Net;
using OtelLab.Load.Traces;

// Trace-load benchmark: `dotnet run -c Release --project bench/Lab.Bench.Load [-- <seconds per step> <traces/s,...>]`.
// Three emulated services on pod addresses send OTLP from those addresses to a local sink on a node address; per
// rate step it prints spans/s generated, sent (accepted) and received by the sink, side by side, with the schedule
// lag (open model) and export latency (HdrHistogram). Keep it short: the machine is shared.
var inv = CultureInfo.InvariantCulture;
var seconds = args.Length > 0 ? double.Parse(args[0], inv) : 3;
var rates = args.Length > 1 ? args[1].Split(',').Select(r => double.Parse(r, inv)).ToArray() : [500, 2000, 5000];
const int spansPerTrace = 5;
var node = IPAddress.Parse("127.1.0.240");
var services = new[] { "checkout", "payments", "ledger" }
    .Select((name, i) => new EmulatedService(name, IPAddress.Parse($"127.64.240.{i + 1}"), new Uri($"http://{node}:24317")))
    .ToArray();

Console.WriteLine(string.Create(inv, $"== trace load → local OTLP sink ({spansPerTrace} spans/trace, 3 services on pod addresses, {seconds:0.#} s per step, {Environment.ProcessorCount} cores) =="));
foreach (var protocol in new[] { OtlpProtocol.Grpc, OtlpProtocol.HttpProtobuf })
{
    foreach (var rate in rates)
    {
        var grpc = protocol == OtlpProtocol.Grpc;
        await using var sink = await OtlpTraceSink.StartAsync(grpc ? new IPEndPoint(node, 24317) : null, grpc ? null : new IPEndPoint(node, 24317), CancellationToken.None);
        var load = new TraceLoad(new TraceLoadOptions
        {
            Services = services, Protocol = protocol, TracesPerSecond = rate, SpansPerTrace = spansPerTrace, ErrorRatio = 0.05, SlowRatio = 0.05,
        });
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        var report = await load.RunForAsync(TimeSpan.FromSeconds(seconds), CancellationToken.None);
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        // Both rates over the same origin (the run's start): generated up to the last trace, received up to the last request.
        var receiveWindow = Stopwatch.GetElapsedTime(started, sink.LastReceivedTimestamp);
        var receive = receiveWindow > TimeSpan.Zero ? sink.SpansReceived / receiveWindow.TotalSeconds : 0;
        Console.WriteLine(string.Create(inv,
            $"{protocol,-12} target {rate * spansPerTrace,7:0} spans/s | generated {report.SpansGeneratedPerSecond,7:0}/s | sent {report.SpansSentPerSecond,7:0}/s | sink received {receive,7:0}/s (ratio {receive / Math.Max(1, report.SpansGeneratedPerSecond):0.00}) | " +
            $"sent={report.SpansSent} received={sink.SpansReceived} failed={report.SpansFailed} dropped={report.SpansDropped} | lag {report.ScheduleLag} | export {report.ExportLatency} | CPU {cpu.TotalSeconds / report.Elapsed.TotalSeconds:0.00} cores"));
    }
}

return 0;
