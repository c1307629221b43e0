using System.Globalization;
using OtelLab.Load.Simulations;

namespace OtelLab.Scenarios.Loads;

/// <summary>
/// The step search for the pipeline's limit: one load target (<see cref="LimitTarget"/>: the front service's checkouts,
/// raw OTLP spans at rates the sample services cannot reach, or farm pod replacements) injected at a rate that doubles
/// each step until a threshold breaks. Each step is judged on its own window:
/// its requests (NBomber's stats of that phase) and the pipeline between the step's start and end. What saturated is
/// read from the collectors' own counters, in pipeline order: a full sending queue, memory_limiter (a processor)
/// refusing, receivers refusing, exporter send failures, and last the simulator itself falling behind its schedule.
/// </summary>
public static class LimitSearch
{
    /// <summary>
    /// The thresholds a search on <paramref name="target"/> judges by: the scenario's about its requests (else the
    /// target's defaults for them) and the scenario's about the pipeline's loss and queues (else the target's defaults);
    /// keep rates only for checkouts (raw spans and farm series carry no error/slow classes).
    /// </summary>
    public static IReadOnlyList<LoadThreshold> Applicable(IReadOnlyList<LoadThreshold> thresholds, LimitTarget target)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        ArgumentNullException.ThrowIfNull(target);
        var defaults = target.DefaultThresholds.Select(t => LoadThreshold.TryParse(t, out var parsed, out _) ? parsed! : throw new InvalidOperationException(t)).ToList();
        var requests = thresholds.Where(t => !t.IsPipeline && (t.Scenario is null || t.Scenario == target.Name)).ToList();
        var pipeline = thresholds.Where(t => t.IsPipeline && (target.JudgesKeepRates || !t.Metric.StartsWith("keep-rate(", StringComparison.Ordinal))).ToList();
        return [.. requests.Count > 0 ? requests : defaults.Where(t => !t.IsPipeline), .. pipeline.Count > 0 ? pipeline : defaults.Where(t => t.IsPipeline)];
    }

    /// <summary>The steps: <paramref name="steps"/> injects of <paramref name="firstRate"/> requests per lab second, doubling, each <paramref name="during"/> long.</summary>
    public static IReadOnlyList<LoadSimulation> Plan(double firstRate, int steps, TimeSpan during) =>
        [.. Enumerable.Range(0, steps).Select(k => new InjectSimulation { Rate = firstRate * Math.Pow(2, k), Interval = TimeSpan.FromSeconds(1), During = during })];

    /// <summary>Share of a step's planned requests that must have finished within the step for the rate to count as sustained.</summary>
    public const double DeliveredShare = 0.9;

    /// <summary>
    /// Judges one step: its thresholds, and whether the offered rate was delivered at all — requests still queued at
    /// the step's end mean the front (<see cref="LimitTarget.Front"/>) did not keep up, whatever the thresholds say
    /// about the ones that finished.
    /// </summary>
    public static LimitStep Judge(int index, InjectSimulation simulation, LimitTarget target, double timeScale, StepStatsSnapshot stats, PipelineWindow window, IReadOnlyList<LoadThreshold> thresholds, bool simulatorBehind, TimeSpan late = default)
    {
        ArgumentNullException.ThrowIfNull(simulation);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(stats);
        var results = LoadThresholds.Evaluate(thresholds, [new ScenarioStatsSnapshot(target.Name, target.Name, stats, [])], window);
        var planned = LoadSchedule.PlannedInjections([simulation]);
        var saturation = Saturation(window);
        if (late > LimitStep.Tolerance(simulation.During))
        {
            saturation = [.. saturation, GeneratorBehind(late, window)];
        }

        if (simulatorBehind)
        {
            saturation = [.. saturation, "the simulator fell behind its schedule (its timers fired late): this machine's CPU, before any emulated component"];
        }

        return new LimitStep(index, simulation.Rate, simulation.Rate * target.UnitsPerRequest, timeScale, stats, window, results, saturation, simulatorBehind) { Planned = planned, Target = target, Late = late, During = simulation.During };
    }

    // Whether the generator was working or waiting for a CPU: its own cores against the machine's.
    private static string GeneratorBehind(TimeSpan late, PipelineWindow window)
    {
        var own = window.Components.FirstOrDefault(c => c.Component == "load generator")?.Cores;
        var cores = Environment.ProcessorCount;
        var why = (own, window.MachineCores) switch
        {
            ({ } g, { } m) when g < 0.5 && m >= 0.9 * cores => $"it used {g:0.00} cores itself while the machine was busy {m:0.00} of {cores} cores: it waited for a CPU",
            ({ } g, { } m) => $"it used {g:0.00} cores itself, the machine {m:0.00} of {cores}",
            _ => "its requests could not start on time",
        };
        return string.Create(CultureInfo.InvariantCulture, $"the load generator fell behind its schedule: the step ended {late.TotalSeconds:0.#} s of lab time late; {why}");
    }

    /// <summary>What the collectors' counters say saturated in a window, in pipeline order (empty: nothing did).</summary>
    public static IReadOnlyList<string> Saturation(PipelineWindow window)
    {
        ArgumentNullException.ThrowIfNull(window);
        var found = new List<string>();
        if (window.MaxQueue is { Full: true } q)
        {
            found.Add($"sending queue full: {q.Exporter} held {q.Size} of {q.Capacity} batches");
        }

        foreach (var t in window.Tiers)
        {
            if (t.ProcessorRefused > 0)
            {
                found.Add($"memory_limiter refusing: {t.Tier} processors refused {t.ProcessorRefused} items");
            }

            if (t.ReceiverRefused > 0)
            {
                found.Add($"receivers refusing: {t.Tier} refused {t.ReceiverRefused} items (its pipeline pushed back)");
            }

            if (t.EnqueueFailed > 0)
            {
                found.Add($"sending queue full: {t.Tier} turned away {t.EnqueueFailed} items at enqueue");
            }

            if (t.SendFailed > 0)
            {
                found.Add($"exporter send failures: {t.Tier} failed to send {t.SendFailed} items");
            }
        }

        return found;
    }

    /// <summary>The search's verdict over its steps (in order; it stops at the first breach).</summary>
    public static LimitSearchResult Conclude(IReadOnlyList<LimitStep> steps, int cores)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var breaking = steps.FirstOrDefault(s => !s.Held);
        var sustained = steps.TakeWhile(s => s.Held).LastOrDefault();
        var firstSaturation = steps.FirstOrDefault(s => s.Saturation.Count > 0 || !s.Delivered);
        var what = firstSaturation is null ? null : firstSaturation.Saturation.Count > 0 ? firstSaturation.Saturation[0]
            : $"{firstSaturation.Target.Front}: requests queued at the front, p99 {firstSaturation.Stats.P99Ms:0} ms, no collector counter moved";
        return new LimitSearchResult
        {
            Steps = steps,
            Sustained = sustained,
            Breaking = breaking,
            FirstSaturated = firstSaturation is null ? null : $"{what} (first seen at step {firstSaturation.Index + 1}, {F(firstSaturation.SpansPerLabSecond)} {firstSaturation.Target.Unit} per lab second)",
            Cores = cores,
        };
    }

    internal static string F(double v) => v.ToString("#,0.#", CultureInfo.InvariantCulture);
}

/// <summary>One step of the search, judged.</summary>
/// <remarks><c>SpansPerLabSecond</c> is the step's rate in its target's unit (spans, checkouts or pod replacements).</remarks>
public sealed record LimitStep(int Index, double RequestsPerLabSecond, double SpansPerLabSecond, double TimeScale, StepStatsSnapshot Stats, PipelineWindow Window, IReadOnlyList<ThresholdResult> Thresholds, IReadOnlyList<string> Saturation, bool SimulatorBehind)
{
    /// <summary>What the step raised.</summary>
    public LimitTarget Target { get; init; } = LimitTarget.For(Definition.TargetedSimulation.Otlp, new Definition.LoadSpec())!;

    /// <summary>The rate in words: <c>8 requests = 400 spans per lab second</c>, or <c>20 checkouts per lab second</c>.</summary>
    public string Rate => Target.UnitsPerRequest == 1
        ? $"{LimitSearch.F(SpansPerLabSecond)} {Target.Unit} per lab second"
        : $"{LimitSearch.F(RequestsPerLabSecond)} requests = {LimitSearch.F(SpansPerLabSecond)} {Target.Unit} per lab second";

    /// <summary>Requests the step's schedule started.</summary>
    public long Planned { get; init; }

    /// <summary>Lab time the generator reached the step's end after its planned end.</summary>
    public TimeSpan Late { get; init; }

    /// <summary>How late a step may end and still count as on schedule: 5 % of its length, at least 1 s of lab time.</summary>
    public static TimeSpan Tolerance(TimeSpan during) => TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerSecond, during.Ticks / 20));

    /// <summary>Whether the requests finished within the step kept up with the schedule (at least <see cref="LimitSearch.DeliveredShare"/> of them, the step ending on time).</summary>
    public bool Delivered => Stats.Count >= LimitSearch.DeliveredShare * Planned && Late <= Tolerance(During);

    /// <summary>The step's planned length (lab time).</summary>
    public TimeSpan During { get; init; } = TimeSpan.FromSeconds(20);

    public bool Held => Delivered && Thresholds.All(t => t.Passed);

    /// <summary>What broke in this step, in words (empty when it held).</summary>
    public IReadOnlyList<string> Breaches =>
    [
        .. Stats.Count >= LimitSearch.DeliveredShare * Planned ? Array.Empty<string>() : [$"only {Stats.Count} of {Planned} requests finished within the step (p99 {Stats.P99Ms:0} ms): {Target.Front} did not keep up"],
        .. Delivered || Stats.Count < LimitSearch.DeliveredShare * Planned ? Array.Empty<string>() : [string.Create(CultureInfo.InvariantCulture, $"the step ended {Late.TotalSeconds:0.#} s of lab time late: the load generator could not start its requests on schedule")],
        .. Thresholds.Where(t => !t.Passed).Select(t => $"{t.Threshold.Text} (measured {(t.Measured is { } m ? t.Threshold.Format(m) : t.Note)})"),
    ];

    /// <summary>Spans per wall second the step offered (lab rate × the clock's scale).</summary>
    public double SpansPerWallSecond => SpansPerLabSecond * TimeScale;
}

/// <summary>The search's outcome.</summary>
public sealed record LimitSearchResult
{
    public required IReadOnlyList<LimitStep> Steps { get; init; }

    /// <summary>The last step every threshold held in (null: even the first breached).</summary>
    public LimitStep? Sustained { get; init; }

    /// <summary>The first step a threshold broke in (null: none did within the steps).</summary>
    public LimitStep? Breaking { get; init; }

    /// <summary>Whether what broke is the lab's own limit (the simulator or the load generator behind), not the pipeline's.</summary>
    public bool LimitIsTheLabs => Breaking is { } b && (b.SimulatorBehind || (b.Late > LimitStep.Tolerance(b.During) && b.Saturation.All(s => s.StartsWith("the load generator", StringComparison.Ordinal) || s.StartsWith("the simulator", StringComparison.Ordinal))));

    /// <summary>The first saturation the counters showed, with its step.</summary>
    public string? FirstSaturated { get; init; }

    public int Cores { get; init; }

    /// <summary>The verdict in words: the sustained rate per tier, what broke, what saturated first, the CPU budget, and whether the simulator's health lets the limit be called the pipeline's.</summary>
    public IReadOnlyList<string> Describe()
    {
        var lines = new List<string>
        {
            $"CPU budget: the whole lab (collectors, Target Allocator, farm, backends, this load) shares this machine's {Cores} core(s) in one process, beside the sample services; the lab process used "
                + string.Join(", ", Steps.Select(s => $"{s.Window.Cores:0.00}")) + " cores in the steps; the machine (every process, other users' included) "
                + string.Join(", ", Steps.Select(s => s.Window.MachineCores is { } m ? $"{m:0.00}" : "?")) + ".",
        };
        lines.AddRange(Steps.Select(s => $"step {s.Index + 1}: {s.Rate} ({LimitSearch.F(s.SpansPerWallSecond)} per wall second at timeScale {s.TimeScale:0.##}): "
            + (s.Held ? "held" : "BREACHED " + string.Join("; ", s.Breaches))
            + (s.SimulatorBehind ? " — simulator BEHIND" : "")));
        if (Sustained is { } ok)
        {
            lines.Add($"sustained: {LimitSearch.F(ok.SpansPerLabSecond)} {ok.Target.Unit} per lab second ({LimitSearch.F(ok.SpansPerWallSecond)} per wall second) {ok.Target.Into}; per tier: "
                + string.Join(", ", ok.Window.Tiers.Select(t => ok.Target.Signal == "points"
                    ? $"{t.Tier} {LimitSearch.F(t.PointsInPerSecond)} in / {LimitSearch.F(t.PointsOutPerSecond)} out points/s"
                    : $"{t.Tier} {LimitSearch.F(t.SpansInPerSecond)} in / {LimitSearch.F(t.SpansOutPerSecond)} out spans/s")));
        }
        else
        {
            lines.Add("sustained: none — the first step already breached a threshold; lower the first rate");
        }

        lines.Add(Breaking is null ? $"no threshold broke within {Steps.Count} step(s): the limit is above the last step's rate" : $"broke at step {Breaking.Index + 1}");
        lines.Add("saturated first: " + (FirstSaturated ?? (Breaking is null ? "nothing" : $"no collector counter moved: the requests themselves failed or slowed ({Breaking.Target.Front})")));
        if ((Breaking ?? Steps.LastOrDefault()) is { Window.Components.Count: > 0 } measured)
        {
            lines.Add($"busiest components at step {measured.Index + 1}: " + string.Join(", ", measured.Window.Components.OrderByDescending(c => c.Cores).Take(4)
                .Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Component} {c.Cores:0.00} cores ({c.Kind})"))));
        }
        if (Breaking is { SimulatorBehind: false } late && late.Late > LimitStep.Tolerance(late.During) && late.Stats.Count >= LimitSearch.DeliveredShare * late.Planned)
        {
            lines.Add("the breaking step ended late because the load generator could not start its requests on schedule: that is the load generator's limit on this machine, not the pipeline's (no collector counter moved first); rerun on a quieter machine or with a lower timeScale");
        }
        else if (Breaking is { SimulatorBehind: false })
        {
            lines.Add("the simulator kept its schedule while the breaking step was measured: the limit is the pipeline's as the lab emulates it, on this machine's CPU budget");
        }
        if (Breaking is { SimulatorBehind: true })
        {
            lines.Add("the breaking step was measured while the simulator itself was behind its schedule: that is the simulator's (this machine's) limit, not the pipeline's; rerun on a quieter or bigger machine, or with a lower timeScale");
        }

        return lines;
    }
}
