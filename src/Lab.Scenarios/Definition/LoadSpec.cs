namespace OtelLab.Scenarios.Definition;

/// <summary>The trace load shape: an open model at <see cref="RatePerSecond"/> requests into the front service.</summary>
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
}
