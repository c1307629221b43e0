using System.Diagnostics;
using OtelLab.Scenarios.Monitoring;

namespace OtelLab.Scenarios.Loads;

/// <summary>
/// The pipeline's counters at one instant, read from every collector pod's <c>otelcol_*</c> registry (what its
/// <c>:8888/metrics</c> serves) and the lab process: two readings make the pipeline's view of a load window.
/// </summary>
public sealed record PipelineReading
{
    /// <summary>Lab time since the load started.</summary>
    public required TimeSpan At { get; init; }

    /// <summary>Wall time of the reading (for CPU per wall second).</summary>
    public required long WallTimestamp { get; init; }

    public required IReadOnlyList<TierReading> Tiers { get; init; }

    /// <summary>Each exporter's sending queue now: (collector pod/exporter, size, capacity) in batches.</summary>
    public required IReadOnlyList<QueueReading> Queues { get; init; }

    /// <summary>The tail-sampling decisions so far by class (lab tap: not an upstream metric).</summary>
    public required IReadOnlyList<KeepRateRow> KeepRates { get; init; }

    /// <summary>tail_sampling's <c>sampling_decision_latency</c> over every collector: (evaluations, sum in µs).</summary>
    public (long Count, double SumMicros) DecisionLatency { get; init; }

    /// <summary>CPU time the lab process has used (every in-process component; the sample services are child processes and not in it).</summary>
    public required TimeSpan ProcessCpu { get; init; }

    public required long WorkingSetBytes { get; init; }

    /// <summary>The whole machine's CPU from /proc/stat: (busy, total) jiffies over every core, or null where unreadable.</summary>
    public (long Busy, long Total)? MachineCpu { get; init; }

    /// <summary>Each component's CPU time so far and memory now (see <see cref="ComponentReading"/>).</summary>
    public IReadOnlyList<ComponentReading> Components { get; init; } = [];

    public static PipelineReading Of(SimLab lab, TimeSpan at)
    {
        ArgumentNullException.ThrowIfNull(lab);
        var fleet = CollectorFleet.Of(lab);
        var tiers = fleet.GroupBy(c => c.Tier, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new TierReading(
            g.Key,
            Sum(g, CollectorMetricNames.ReceiverAcceptedSpans),
            Sum(g, CollectorMetricNames.ExporterSentSpans),
            Sum(g, "otelcol_receiver_accepted_metric_points"),
            Sum(g, "otelcol_exporter_sent_metric_points"),
            Sum(g, CollectorMetricNames.ReceiverRefusedSpans) + Sum(g, "otelcol_receiver_refused_metric_points"),
            Sum(g, CollectorMetricNames.ProcessorRefusedSpans) + Sum(g, "otelcol_processor_refused_metric_points"),
            Sum(g, CollectorMetricNames.ExporterSendFailedSpans) + Sum(g, CollectorMetricNames.ExporterSendFailedMetricPoints),
            Sum(g, CollectorMetricNames.ExporterEnqueueFailedSpans) + Sum(g, CollectorMetricNames.ExporterEnqueueFailedMetricPoints))).ToList();
        var queues = new List<QueueReading>();
        foreach (var c in fleet)
        {
            var sizes = c.Instance.Telemetry.FindGauge("otelcol_exporter_queue_size")?.Series() ?? [];
            var capacities = c.Instance.Telemetry.FindGauge("otelcol_exporter_queue_capacity")?.Series() ?? [];
            foreach (var (labels, value) in sizes)
            {
                var key = string.Join(",", labels.Select(l => l.Key + "=" + l.Value));
                var capacity = capacities.FirstOrDefault(s => string.Join(",", s.Labels.Select(l => l.Key + "=" + l.Value)) == key).Value;
                var exporter = labels.FirstOrDefault(l => l.Key == "exporter").Value ?? "?";
                var signal = labels.FirstOrDefault(l => l.Key == "data_type").Value ?? "?";
                queues.Add(new QueueReading(c.Tier, $"{c.Pod}/{exporter} ({signal})", (long)value, (long)capacity));
            }
        }

        // upstream tail_sampling: otelcol_processor_tail_sampling_sampling_decision_latency, µs per policy evaluation.
        var decisions = fleet.Select(c => c.Instance.Telemetry.FindHistogram("otelcol_processor_tail_sampling_sampling_decision_latency")).OfType<Sim.Collector.Telemetry.HistogramMetric>().ToList();
        using var process = Process.GetCurrentProcess();
        return new PipelineReading
        {
            At = at,
            WallTimestamp = Stopwatch.GetTimestamp(),
            Tiers = tiers,
            Queues = queues,
            KeepRates = new RuntimePipelineTelemetry(lab).KeepRates(),
            DecisionLatency = (decisions.Sum(h => h.Count), decisions.Sum(h => h.Sum)),
            ProcessCpu = process.TotalProcessorTime,
            WorkingSetBytes = process.WorkingSet64,
            Components = ComponentsOf(lab, fleet),
            MachineCpu = MachineStat(),
        };
    }

    // proc(5) /proc/stat "cpu" line: user nice system idle iowait irq softirq steal …; idle + iowait is not busy.
    private static (long Busy, long Total)? MachineStat()
    {
        try
        {
            var line = File.ReadLines("/proc/stat").First();
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(f => long.Parse(f, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            var total = fields.Sum();
            return (total - fields[3] - fields[4], total);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or InvalidOperationException)
        {
            return null;
        }
    }

    private static List<ComponentReading> ComponentsOf(SimLab lab, IReadOnlyList<RunningCollector> fleet)
    {
        var components = new List<ComponentReading>();
        foreach (var c in fleet)
        {
            var queued = (long)(c.Instance.Telemetry.FindGauge("otelcol_exporter_queue_size")?.Series().Sum(s => s.Value) ?? 0);
            var traces = (long)(c.Instance.Telemetry.FindGauge("otelcol_processor_tail_sampling_sampling_traces_on_memory")?.Series().Sum(s => s.Value) ?? 0);
            components.Add(new ComponentReading($"{c.Tier}/{c.Pod}", ComponentReading.Collector, c.Instance.Cpu.Used, QueuedBatches: queued, TracesHeld: traces));
        }

        foreach (var (pod, allocator) in lab.TargetAllocators.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (allocator.Cpu is { } cpu)
            {
                components.Add(new ComponentReading(pod, ComponentReading.InProcess, cpu.Used));
            }
        }

        if (lab.ApiServer is { } api)
        {
            components.Add(new ComponentReading(api.Cpu.Name, ComponentReading.InProcess, api.Cpu.Used));
        }

        components.AddRange(lab.Backends.Select(b => new ComponentReading(b.Cpu.Name, ComponentReading.InProcess, b.Cpu.Used)));
        if (lab.SimulationRun is { } run)
        {
            components.Add(new ComponentReading("load generator", ComponentReading.InProcess, run.Cpu.Used));
        }

        foreach (var (pod, pid) in lab.Runtimes.OfType<Sim.Kubelet.ProcessContainerRuntime>().SelectMany(r => r.Processes).OrderBy(p => p.Pod, StringComparer.Ordinal))
        {
            if (ProcessUsage.Read(pid) is { } usage)
            {
                components.Add(new ComponentReading(pod, ComponentReading.Process, usage.Cpu, usage.RssBytes));
            }
        }

        return components;
    }

    private static long Sum(IEnumerable<RunningCollector> collectors, string counter) => collectors.Sum(c => c.Counter(counter));
}

/// <summary>One tier's cumulative counters (spans and metric points; refused by receivers and by processors such as memory_limiter; exporter send and enqueue failures).</summary>
public sealed record TierReading(string Tier, long ReceivedSpans, long SentSpans, long ReceivedPoints, long SentPoints, long ReceiverRefused, long ProcessorRefused, long SendFailed, long EnqueueFailed);

/// <summary>One exporter's sending queue (batches).</summary>
public sealed record QueueReading(string Tier, string Exporter, long Size, long Capacity)
{
    public bool Full => Capacity > 0 && Size >= Capacity;
}
