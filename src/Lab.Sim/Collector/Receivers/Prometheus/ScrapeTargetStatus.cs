namespace OtelLab.Sim.Collector.Receivers.Prometheus;

/// <summary>What the receiver knows of one active target (Prometheus' <c>/api/v1/targets</c> in small).</summary>
/// <param name="Series">Samples of the last scrape after metric relabeling (Prometheus' <c>scrape_samples_post_metric_relabeling</c>).</param>
public sealed record ScrapeTargetStatus(string Job, string Address, string Instance, DateTimeOffset? LastScrape, DateTimeOffset? LastSuccess, bool Up, string? LastError, long Scrapes, long Series = 0);
