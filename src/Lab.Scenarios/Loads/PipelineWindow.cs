using System.Diagnostics;
using OtelLab.Scenarios.Monitoring;

namespace OtelLab.Scenarios.Loads;

/// <summary>
/// The pipeline's view of a load window: what each tier received, sent, refused and dropped between two readings,
/// per lab second; the fullest queue seen in the readings between; keep rates by class over the window; and the lab
/// process's CPU (cores) and memory.
/// </summary>
public sealed record PipelineWindow
{
    public required TimeSpan From { get; init; }

    public required TimeSpan To { get; init; }

    public required IReadOnlyList<TierWindow> Tiers { get; init; }

    /// <summary>The fullest sending queue seen in the window (batches), with its exporter, or null when no exporter queues.</summary>
    public QueueReading? MaxQueue { get; init; }

    public required IReadOnlyList<KeepRateRow> KeepRates { get; init; }

    /// <summary>Mean tail_sampling policy evaluation latency in the window (ms), or null when no decision was made.</summary>
    public double? DecisionLatencyMs { get; init; }

    /// <summary>Cores the lab process kept busy over the window's wall time.</summary>
    public double Cores { get; init; }

    public long WorkingSetBytes { get; init; }

    /// <summary>Cores the whole machine kept busy over the window (every process: the lab, the sample services, anything else running), or null.</summary>
    public double? MachineCores { get; init; }

    /// <summary>Each component over the window (components that started or ended inside it count from their first reading).</summary>
    public IReadOnlyList<ComponentWindow> Components { get; init; } = [];

    /// <summary>Spans or points refused (receivers, and processors such as memory_limiter) in the window.</summary>
    public long Refused => Tiers.Sum(t => t.ReceiverRefused + t.ProcessorRefused);

    /// <summary>Spans or points the exporters lost in the window: failed sends plus items a full queue turned away.</summary>
    public long Dropped => Tiers.Sum(t => t.SendFailed + t.EnqueueFailed);

    public static PipelineWindow Between(PipelineReading from, PipelineReading to, IEnumerable<PipelineReading> between)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        var seconds = Math.Max((to.At - from.At).TotalSeconds, 1e-9);
        var tiers = to.Tiers.Select(t =>
        {
            var f = from.Tiers.FirstOrDefault(x => x.Tier == t.Tier) ?? new TierReading(t.Tier, 0, 0, 0, 0, 0, 0, 0, 0);
            return new TierWindow(
                t.Tier,
                (t.ReceivedSpans - f.ReceivedSpans) / seconds,
                (t.SentSpans - f.SentSpans) / seconds,
                (t.ReceivedPoints - f.ReceivedPoints) / seconds,
                (t.SentPoints - f.SentPoints) / seconds,
                t.ReceiverRefused - f.ReceiverRefused,
                t.ProcessorRefused - f.ProcessorRefused,
                t.SendFailed - f.SendFailed,
                t.EnqueueFailed - f.EnqueueFailed);
        }).ToList();
        var queues = between.Append(to).SelectMany(r => r.Queues).ToList();
        var keep = to.KeepRates.Select(k =>
        {
            var f = from.KeepRates.FirstOrDefault(x => x.Class == k.Class);
            return new KeepRateRow(k.Class, k.Traces - (f?.Traces ?? 0), k.Kept - (f?.Kept ?? 0));
        }).ToList();
        var wall = (to.WallTimestamp - from.WallTimestamp) / (double)Stopwatch.Frequency;
        return new PipelineWindow
        {
            From = from.At,
            To = to.At,
            Tiers = tiers,
            MaxQueue = queues.Count == 0 ? null : queues.MaxBy(q => q.Size),
            KeepRates = keep,
            DecisionLatencyMs = to.DecisionLatency.Count > from.DecisionLatency.Count
                ? (to.DecisionLatency.SumMicros - from.DecisionLatency.SumMicros) / (to.DecisionLatency.Count - from.DecisionLatency.Count) / 1000
                : null,
            Cores = wall > 0 ? (to.ProcessCpu - from.ProcessCpu).TotalSeconds / wall : 0,
            WorkingSetBytes = to.WorkingSetBytes,
            MachineCores = from.MachineCpu is { } m0 && to.MachineCpu is { } m1 && m1.Total > m0.Total
                ? (double)(m1.Busy - m0.Busy) / (m1.Total - m0.Total) * Environment.ProcessorCount
                : null,
            Components = [.. to.Components.Select(c =>
            {
                var f = from.Components.FirstOrDefault(x => x.Component == c.Component && x.Kind == c.Kind);
                var cores = wall > 0 ? Math.Max(0, (c.Cpu - (f?.Cpu ?? TimeSpan.Zero)).TotalSeconds) / wall : 0;
                return new ComponentWindow(c.Component, c.Kind, cores, c.RssBytes, c.QueuedBatches, c.TracesHeld);
            })],
        };
    }
}

/// <summary>One tier over a window: spans and points per lab second in and out, and the items refused and lost.</summary>
public sealed record TierWindow(string Tier, double SpansInPerSecond, double SpansOutPerSecond, double PointsInPerSecond, double PointsOutPerSecond, long ReceiverRefused, long ProcessorRefused, long SendFailed, long EnqueueFailed);
