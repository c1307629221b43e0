using OtelLab.Load.Simulations;
using OtelLab.Scenarios.Loads;

namespace OtelLab.Scenarios.Definition;

/// <summary>
/// The scenario's load: either one rate into the front service (<c>load.rate</c>, an open model) or NBomber-style
/// simulations per target (<c>load.simulations</c>), plus the load's shape (error and slow ratios at the front
/// service) and the thresholds a <c>load</c> run is judged by.
/// </summary>
public sealed record LoadSpec
{
    /// <summary>Requests (traces) per second; 0 sends none.</summary>
    public double RatePerSecond { get; init; }

    /// <summary>How long the load runs; null: as long as the lab runs.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Share of requests that fail (error spans), 0..1.</summary>
    public double ErrorRatio { get; init; }

    /// <summary>Share of requests slower than the sampling latency threshold, 0..1.</summary>
    public double SlowRatio { get; init; }

    /// <summary>The services that take part, front first.</summary>
    public IReadOnlyList<string> Services { get; init; } = [];

    /// <summary>The <c>load.simulations</c> entries in order (each target's run in sequence, the targets in parallel); empty when the scenario gives a single rate.</summary>
    public IReadOnlyList<TargetedSimulation> Simulations { get; init; } = [];

    /// <summary>Spans per OTLP export request of the <c>otlp</c> target (<c>load.otlp.spansPerRequest</c>).</summary>
    public int OtlpSpansPerRequest { get; init; } = 50;

    /// <summary>How the <c>otlp</c> target sends (<c>load.otlp.protocol</c>): <c>http</c> (OTLP/HTTP protobuf to :4318, the default) or <c>grpc</c> (:4317).</summary>
    public string OtlpProtocol { get; init; } = "http";

    /// <summary>Avalanche's <c>--series-interval</c> for the farm while the load runs (<c>load.farm.seriesInterval</c>), for the lab's whole run: every interval all series are new; null: none.</summary>
    public TimeSpan? FarmSeriesInterval { get; init; }

    /// <summary>The thresholds a <c>load</c> run must hold (<c>load.thresholds</c>).</summary>
    public IReadOnlyList<LoadThreshold> Thresholds { get; init; } = [];

    /// <summary>
    /// The simulations per target: <see cref="Simulations"/> grouped in order, or — for a scenario with a single rate —
    /// one <c>inject</c> of <see cref="RatePerSecond"/> per second into the front service for
    /// <see cref="Duration"/> (or <paramref name="defaultDuration"/>).
    /// </summary>
    public IReadOnlyList<(string Target, IReadOnlyList<LoadSimulation> Simulations)> Plan(TimeSpan defaultDuration)
    {
        if (Simulations.Count > 0)
        {
            return [.. Simulations.GroupBy(s => s.Target, StringComparer.Ordinal).Select(g => (g.Key, (IReadOnlyList<LoadSimulation>)[.. g.Select(s => s.Simulation)]))];
        }

        return RatePerSecond > 0
            ? [(TargetedSimulation.Trace, [new InjectSimulation { Rate = RatePerSecond, Interval = TimeSpan.FromSeconds(1), During = Duration ?? defaultDuration }])]
            : [];
    }
}
