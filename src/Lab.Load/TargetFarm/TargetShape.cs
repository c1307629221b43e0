namespace OtelLab.Load.TargetFarm;

/// <summary>
/// What one scrape target exposes, in avalanche's terms (prometheus-community/avalanche): <c>--metric-count</c>
/// gauges, each with <c>--series-count</c> series carrying <c>--label-count</c> constant labels plus
/// <c>series_id</c> and <c>cycle_id</c>.
/// </summary>
public sealed record TargetShape(int MetricCount = 10, int SeriesCount = 10, int LabelCount = 3)
{
    /// <summary>Series per target: metrics × series.</summary>
    public int SeriesPerTarget => MetricCount * SeriesCount;

    internal void Validate()
    {
        if (MetricCount < 1 || SeriesCount < 1 || LabelCount < 0)
        {
            throw new ArgumentException($"a target shape needs metric-count ≥ 1, series-count ≥ 1 and label-count ≥ 0 (got {MetricCount}, {SeriesCount}, {LabelCount})");
        }
    }
}
