using System.Globalization;
using OtelLab.Scenarios.Definition;

namespace OtelLab.Scenarios.Loads;

/// <summary>
/// What a limit search raises: the front service's checkouts (<c>trace</c>), raw OTLP spans into the agent
/// (<c>otlp</c>), or pod replacements in the target farm (<c>farm</c>: each one retires a target's series and brings a
/// new one's). Each has its first rate, its unit, the signal its tiers are read by, what sits in front of the pipeline
/// when requests pile up, and the thresholds a search judges by when the scenario names none that apply.
/// </summary>
public sealed record LimitTarget
{
    public required string Name { get; init; }

    /// <summary>Requests per lab second in the first step (the rate doubles each step).</summary>
    public required double FirstRate { get; init; }

    /// <summary>Units each request carries (spans per OTLP export; 1 for a checkout or a pod replacement).</summary>
    public required int UnitsPerRequest { get; init; }

    /// <summary>What a unit is, plural (<c>spans</c>, <c>checkouts</c>, <c>pod replacements</c>).</summary>
    public required string Unit { get; init; }

    /// <summary>Where the load goes, for the verdict (<c>into the agent</c>).</summary>
    public required string Into { get; init; }

    /// <summary><c>spans</c> or <c>points</c>: how the tiers' sustained rates are read.</summary>
    public required string Signal { get; init; }

    /// <summary>What is in front of the collectors: when requests pile up there and no collector counter moved, that is what did not keep up.</summary>
    public required string Front { get; init; }

    /// <summary>Whether keep-rate thresholds mean something for this load (only traces through the services carry error/slow classes).</summary>
    public bool JudgesKeepRates { get; init; }

    public required IReadOnlyList<string> DefaultThresholds { get; init; }

    public static readonly IReadOnlyList<string> Names = [TargetedSimulation.Trace, TargetedSimulation.Otlp, TargetedSimulation.Farm];

    /// <summary>The target named <paramref name="name"/> for <paramref name="load"/>'s settings, or null for an unknown name.</summary>
    public static LimitTarget? For(string name, LoadSpec load)
    {
        ArgumentNullException.ThrowIfNull(load);
        return name switch
        {
            TargetedSimulation.Otlp => new LimitTarget
            {
                Name = name, FirstRate = 2, UnitsPerRequest = load.OtlpSpansPerRequest, Unit = "spans", Into = "into the agent", Signal = "spans",
                Front = "the agent's OTLP receiver (or this machine)",
                DefaultThresholds = ["otlp: fail rate < 1%", "otlp: p99 < 1000ms", "dropped == 0", "refused == 0"],
            },
            TargetedSimulation.Trace => new LimitTarget
            {
                Name = name, FirstRate = 5, UnitsPerRequest = 1, Unit = "checkouts", Into = "into the front service", Signal = "spans",
                Front = "the sample services (checkout → payments → ledger) or this machine", JudgesKeepRates = true,
                // the scenario's own error ratio fails requests by design: allow it plus 5 points
                DefaultThresholds = [string.Create(CultureInfo.InvariantCulture, $"trace: fail rate < {(load.ErrorRatio * 100) + 5:0.#}%"), "trace: p99 < 2000ms", "dropped == 0", "refused == 0", "keep-rate(error) == 100%"],
            },
            TargetedSimulation.Farm => new LimitTarget
            {
                Name = name, FirstRate = 0.5, UnitsPerRequest = 1, Unit = "pod replacements", Into = "in the target farm", Signal = "points",
                Front = "the simulated API server and kubelets replacing farm pods (or this machine)",
                DefaultThresholds = ["farm: fail rate < 1%", "farm: p99 < 2000ms", "dropped == 0", "refused == 0"],
            },
            _ => null,
        };
    }
}
