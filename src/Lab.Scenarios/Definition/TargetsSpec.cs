namespace OtelLab.Scenarios.Definition;

/// <summary>The scrape-target farm a scenario asks for (served by the farm runtime once it is plugged in).</summary>
public sealed record TargetsSpec
{
    /// <summary>How many scrape targets; 0 runs none.</summary>
    public int Count { get; init; }

    public int MetricsPerTarget { get; init; } = 10;

    public int SeriesPerMetric { get; init; } = 10;
}
