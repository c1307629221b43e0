namespace OtelLab.Sim.TargetAllocation;

/// <summary>
/// A target source whose scrape configs and discovered groups are pushed in from outside — what a discovery
/// mechanism (kubernetes_sd over the cluster model, ServiceMonitors, a test) feeds the TA.
/// </summary>
public sealed class InMemoryTargetSource : ITargetSource
{
    private volatile IReadOnlyList<ScrapeConfig> _configs;
    private volatile IReadOnlyList<TargetGroup> _groups = [];

    public InMemoryTargetSource(IEnumerable<ScrapeConfig> scrapeConfigs, string name = "EventSourcePrometheusCR")
    {
        ArgumentNullException.ThrowIfNull(scrapeConfigs);
        Name = name;
        _configs = [.. scrapeConfigs];
    }

    public string Name { get; }

    public IReadOnlyList<ScrapeConfig> ScrapeConfigs => _configs;

    public IReadOnlyList<TargetGroup> TargetGroups => _groups;

    public event EventHandler? Changed;

    /// <summary>Replaces the discovered target groups (all jobs) and notifies.</summary>
    public void SetTargetGroups(IEnumerable<TargetGroup> groups)
    {
        _groups = [.. groups];
        Changed?.Invoke(this, EventArgs.Empty);
    }

    /// <summary>Replaces the scrape configs and notifies.</summary>
    public void SetScrapeConfigs(IEnumerable<ScrapeConfig> scrapeConfigs)
    {
        _configs = [.. scrapeConfigs];
        Changed?.Invoke(this, EventArgs.Empty);
    }
}
