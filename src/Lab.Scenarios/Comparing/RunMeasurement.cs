using OtelLab.Load.Simulations;
using OtelLab.Scenarios.Checks;
using OtelLab.Scenarios.Loads;
using OtelLab.Scenarios.Monitoring;

namespace OtelLab.Scenarios.Comparing;

/// <summary>
/// What one lab run did, read from the running lab once its checks are done, for <c>compare</c> to set two runs side by
/// side: the Target Allocator's assignment, tail sampling's keep rates by class, the items each collector tier received
/// and sent (its own <c>otelcol_*</c> counters), what each backend accepted and rejected, the items each exporter
/// dropped, and the scenario's load simulations as NBomber counts them with its request thresholds judged.
/// </summary>
public sealed record RunMeasurement
{
    /// <summary>Each target the Target Allocators hold (<c>job target-url</c>) → the collector replica it is assigned to ("" unassigned).</summary>
    public required IReadOnlyDictionary<string, string> Assignments { get; init; }

    public required IReadOnlyList<ClassKeepRate> KeepRates { get; init; }

    public required IReadOnlyList<TierFlow> Tiers { get; init; }

    public required IReadOnlyList<BackendFigures> Backends { get; init; }

    public required IReadOnlyList<ExporterLoss> SendFailures { get; init; }

    /// <summary>Items dropped at the exporters since the lab was Ready (start-up drops of a first install not counted, as send-failed-flat judges).</summary>
    public long SendFailedSinceReady { get; init; }

    /// <summary>NBomber's stats per load scenario of the scenario's <c>load.simulations</c> (empty when it gives a single rate).</summary>
    public IReadOnlyList<ScenarioStatsSnapshot> Load { get; init; } = [];

    /// <summary>Lab time the simulations had run when the run was measured (at most <see cref="LoadPlanned"/>).</summary>
    public TimeSpan LoadRan { get; init; }

    /// <summary>The simulations' planned length in lab time (zero without simulations).</summary>
    public TimeSpan LoadPlanned { get; init; }

    /// <summary>The scenario's request thresholds (<c>load.thresholds</c>: p99, fail rate, RPS) judged on <see cref="Load"/>.</summary>
    public IReadOnlyList<ThresholdResult> Thresholds { get; init; } = [];

    public static RunMeasurement Take(SimLab lab)
    {
        ArgumentNullException.ThrowIfNull(lab);
        var fleet = CollectorFleet.Of(lab);
        var assignments = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var ta in lab.TargetAllocators.Values)
        {
            foreach (var item in ta.Allocator.TargetItems().Values)
            {
                assignments[item.JobName + " " + item.TargetUrl] = item.CollectorName;
            }
        }

        var tallies = fleet.SelectMany(c => c.TailSampling).Select(t => t.Classes).ToList();
        var keepRates = tallies.Count == 0 ? [] : Enum.GetValues<Sim.Collector.Processors.TailSampling.TraceClass>()
            .Select(k => new ClassKeepRate(RuntimePipelineTelemetry.ClassName(k), tallies.Sum(t => t.Traces(k)), tallies.Sum(t => t.Kept(k))))
            .ToList();

        // A tier is an OpenTelemetryCollector (agent daemonset, prometheus statefulset, gateway deployment): its pods summed.
        var tiers = fleet.GroupBy(c => c.Tier, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new TierFlow(
            g.Key,
            g.Count(),
            g.Sum(c => c.Counter("otelcol_receiver_accepted_spans")),
            g.Sum(c => c.Counter("otelcol_receiver_accepted_metric_points")),
            g.Sum(c => c.Counter("otelcol_exporter_sent_spans")),
            g.Sum(c => c.Counter("otelcol_exporter_sent_metric_points")))).ToList();

        var losses = new Dictionary<(string Collector, string Exporter), (long Spans, long Points)>();
        foreach (var c in fleet)
        {
            foreach (var (name, isSpans) in new[] { ("otelcol_exporter_send_failed_spans", true), ("otelcol_exporter_send_failed_metric_points", false),
                ("otelcol_exporter_enqueue_failed_spans", true), ("otelcol_exporter_enqueue_failed_metric_points", false) })
            {
                foreach (var (labels, value) in c.Instance.Telemetry.FindCounter(name)?.Series() ?? [])
                {
                    var exporter = labels.FirstOrDefault(l => l.Key == "exporter").Value ?? "?";
                    var key = (c.Collector, exporter);
                    var was = losses.GetValueOrDefault(key);
                    losses[key] = isSpans ? (was.Spans + value, was.Points) : (was.Spans, was.Points + value);
                }
            }
        }

        var atReady = lab.ReadyCounters.Sum(c => c.Total);
        // The checks end the run on the lab clock whether or not the load has finished: both sides are read at the same
        // point of the same load, and the lab time it covered is stated beside the figures.
        var load = lab.SimulationRun?.Snapshot() ?? [];
        var planned = lab.SimulationRun?.PlannedDuration ?? TimeSpan.Zero;
        return new RunMeasurement
        {
            Assignments = assignments,
            KeepRates = keepRates,
            Tiers = tiers,
            Backends = [.. lab.Backends.Select(ScenarioRunner.Figures)],
            SendFailures = [.. losses.OrderBy(l => l.Key.Collector, StringComparer.Ordinal).ThenBy(l => l.Key.Exporter, StringComparer.Ordinal)
                .Select(l => new ExporterLoss(l.Key.Collector, l.Key.Exporter, l.Value.Spans, l.Value.Points))],
            SendFailedSinceReady = Math.Max(0, fleet.Select(CollectorFailureCounters.Of).Sum(c => c.Total) - atReady),
            Load = load,
            LoadRan = lab.SimulationRun is { } run ? (run.Elapsed < planned ? run.Elapsed : planned) : TimeSpan.Zero,
            LoadPlanned = planned,
            Thresholds = load.Count == 0 ? [] : LoadThresholds.EvaluateRequests(lab.Scenario.Load.Thresholds, load),
        };
    }
}

/// <summary>Traces of one class (error, slow, baseline) that tail sampling decided, and how many it kept.</summary>
public sealed record ClassKeepRate(string Class, long Traces, long Kept)
{
    public double? Rate => Traces == 0 ? null : Kept / (double)Traces;
}

/// <summary>One collector tier's pods and what they received and sent (sums of their otelcol_* counters).</summary>
public sealed record TierFlow(string Tier, int Pods, long ReceivedSpans, long ReceivedPoints, long SentSpans, long SentPoints);

/// <summary>Items one exporter of one collector dropped: send_failed plus enqueue_failed.</summary>
public sealed record ExporterLoss(string Collector, string Exporter, long Spans, long Points)
{
    public long Total => Spans + Points;
}
