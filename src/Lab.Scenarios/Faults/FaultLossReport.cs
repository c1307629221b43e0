using System.Globalization;
using OtelLab.Backends.Capture;
using OtelLab.Sim.Collector.Processors.TailSampling;
using OtelLab.Scenarios.Monitoring;
using OtelLab.Sim.Collector.Runtime;

namespace OtelLab.Scenarios.Faults;

/// <summary>
/// What a run with faults lost, measured and attributed. Error traces are the yardstick: the load's server errors
/// are the error traces generated, and the keep-all-errors policy keeps every one, so each one missing at a backend
/// was lost, not sampled out. Attribution: a killed collector's counters (held after it stopped) say how many traces
/// it had received and not yet decided when it went — lost with its tail-sampling buffer; the running collectors'
/// send_failed / enqueue_failed say what the exporters dropped (e.g. agents whose gateway went away).
/// </summary>
public sealed record FaultLossReport
{
    private const string TailSampling = TailSamplingTelemetry.Prefix;

    public required long ErrorTracesGenerated { get; init; }

    /// <summary>Distinct error traces (root span of the front service with status error) per backend.</summary>
    public required IReadOnlyDictionary<string, long> ErrorTracesStored { get; init; }

    /// <summary>Per killed collector pod: traces received, decided, undecided (lost with it), spans accepted and exported.</summary>
    public required IReadOnlyList<KilledCollector> Killed { get; init; }

    /// <summary>Spans the collectors still running dropped in their exporters (send_failed) or queues (enqueue_failed).</summary>
    public required long SendFailedSpans { get; init; }

    public required long EnqueueFailedSpans { get; init; }

    /// <summary>What one killed collector had when it stopped.</summary>
    public sealed record KilledCollector(string Pod, TimeSpan At, long TracesReceived, long TracesSampled, long TracesNotSampled, long SpansAccepted, long SpansExported)
    {
        public long TracesUndecided => Math.Max(0, TracesReceived - TracesSampled - TracesNotSampled);
    }

    /// <summary>Measures the lab as it is now (call after the load finished and the backends had time to receive).</summary>
    public static FaultLossReport Measure(SimLab lab, long errorTracesGenerated)
    {
        ArgumentNullException.ThrowIfNull(lab);
        var front = lab.Scenario.Load.Services.FirstOrDefault() ?? "";
        var stored = lab.Backends.ToDictionary(b => b.Name, b => (long)b.Captures.Spans()
            .Where(s => s.ServiceName == front && s.ParentSpanId == 0 && s.Status == CapturedStatus.Error)
            .Select(s => s.TraceId).Distinct().Count());
        var killed = lab.FaultEvents.Where(e => e.Killed is not null).Select(e => Snapshot(e.Pod!, e.At, e.Killed!)).ToList();
        var running = Running(lab);
        return new FaultLossReport
        {
            ErrorTracesGenerated = errorTracesGenerated,
            ErrorTracesStored = stored,
            Killed = killed,
            SendFailedSpans = running.Sum(c => Total(c, "otelcol_exporter_send_failed_spans")),
            EnqueueFailedSpans = running.Sum(c => Total(c, "otelcol_exporter_enqueue_failed_spans")),
        };
    }

    /// <summary>The report as lines for the console and the tests' output.</summary>
    public IReadOnlyList<string> Lines()
    {
        var lines = new List<string>
        {
            Invariant($"error traces: {ErrorTracesGenerated} generated (front service 5xx); stored: {string.Join(", ", ErrorTracesStored.Select(kv => Invariant($"{kv.Key} {kv.Value} (lost {ErrorTracesGenerated - kv.Value})")))}"),
        };
        lines.AddRange(Killed.Select(k => Invariant(
            $"killed {k.Pod} at +{k.At.TotalSeconds:0.0}s: {k.TracesReceived} traces received, {k.TracesSampled} sampled, {k.TracesNotSampled} not sampled, {k.TracesUndecided} undecided when it stopped (lost with its buffer); {k.SpansAccepted} spans accepted, {k.SpansExported} exported")));
        lines.Add(Invariant($"running collectors' exporters: {SendFailedSpans} spans send_failed, {EnqueueFailedSpans} spans enqueue_failed"));
        return lines;
    }

    private static KilledCollector Snapshot(string pod, TimeSpan at, CollectorInstance c)
    {
        var sampled = c.Telemetry.CounterOrExisting(TailSampling + "global_count_traces_sampled", "");
        return new KilledCollector(pod, at,
            Total(c, TailSampling + "new_trace_id_received"),
            sampled.Value(TailSamplingTelemetry.DecisionLabels(SamplingDecision.Sampled)),
            sampled.Value(TailSamplingTelemetry.DecisionLabels(SamplingDecision.NotSampled)) + sampled.Value(TailSamplingTelemetry.DecisionLabels(SamplingDecision.Dropped)),
            Total(c, "otelcol_receiver_accepted_spans"),
            Total(c, "otelcol_exporter_sent_spans"));
    }

    /// <summary>Traces a collector's tail_sampling received and decided so far (0 and 0 without tail_sampling).</summary>
    internal static (long Received, long Decided) Decisions(CollectorInstance c)
    {
        var k = Snapshot("", TimeSpan.Zero, c);
        return (k.TracesReceived, k.TracesSampled + k.TracesNotSampled);
    }

    internal static List<CollectorInstance> Running(SimLab lab) => [.. CollectorFleet.Of(lab).Select(c => c.Instance)];

    internal static bool QueueEmpty(CollectorInstance c) =>
        !c.Telemetry.RenderPrometheus().Split('\n').Any(l => l.StartsWith("otelcol_exporter_queue_size{", StringComparison.Ordinal) && !l.EndsWith(" 0", StringComparison.Ordinal));

    private static long Total(CollectorInstance c, string name) => c.Telemetry.CounterOrExisting(name, "").Total;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
