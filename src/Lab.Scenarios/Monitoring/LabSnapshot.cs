using OtelLab.Lint;
using OtelLab.Scenarios.Resources;

namespace OtelLab.Scenarios.Monitoring;

/// <summary>What the live views show at one instant (console and dashboard read the same snapshot).</summary>
public sealed record LabSnapshot
{
    public required DateTimeOffset At { get; init; }

    public required string Scenario { get; init; }

    public TimeSpan? StartupTime { get; init; }

    /// <summary>From start until every farm target had been scraped once (null until then, or without a farm).</summary>
    public TimeSpan? FirstScrapeRound { get; init; }

    /// <summary>The pods that took longest to Ready (empty until the lab is up), as "ns/name 8.6 s".</summary>
    public IReadOnlyList<string> SlowestPods { get; init; } = [];

    /// <summary>The farm's targets (<c>targets.count</c>) and how many have been scraped at least once.</summary>
    public (int Scraped, int Targets) FarmProgress { get; init; }

    public required IReadOnlyList<ResourceSnapshot> Resources { get; init; }

    public required IReadOnlyList<PodRow> Pods { get; init; }

    public required IReadOnlyList<ShardRow> Shards { get; init; }

    public required IReadOnlyList<TierRate> Tiers { get; init; }

    public required IReadOnlyList<KeepRateRow> KeepRates { get; init; }

    public required IReadOnlyList<BackendRow> Backends { get; init; }

    public required IReadOnlyList<Finding> Findings { get; init; }

    /// <summary>The simulator's last health sample (null before the first).</summary>
    public Health.HealthSample? Health { get; init; }
}

public sealed record PodRow(string Namespace, string Name, string Node, string Ip, string Status, bool Ready, int Restarts, IReadOnlyList<string> Containers);

/// <summary>A tier's spans per second over the last sample interval.</summary>
public sealed record TierRate(string Tier, double ReceivedPerSecond, double SentPerSecond, long SendFailed);

public sealed record BackendRow(string Backend, string Address, long AcceptedSpans, long AcceptedMetricPoints, long AcceptedLogRecords, long RejectedItems, long RejectedRequests, double IngestPerSecond);

/// <summary>One point of the spans-per-second history (per backend ingest and per tier).</summary>
public sealed record RatePoint(DateTimeOffset At, IReadOnlyDictionary<string, double> Series);
