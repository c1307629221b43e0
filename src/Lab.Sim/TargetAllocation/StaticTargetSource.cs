namespace OtelLab.Sim.TargetAllocation;

/// <summary>
/// Scrape configs with <c>static_configs</c> only, as in the TA's own config file: the target groups come from the
/// static configs. <see cref="Set"/> replaces them (and notifies), like a config reload.
/// </summary>
public sealed class StaticTargetSource : ITargetSource
{
    private volatile Snapshot _snapshot;

    public StaticTargetSource(IEnumerable<ScrapeConfig> scrapeConfigs, string name = "EventSourceConfigMap")
    {
        Name = name;
        _snapshot = Build(scrapeConfigs);
    }

    public string Name { get; }

    public IReadOnlyList<ScrapeConfig> ScrapeConfigs => _snapshot.Configs;

    public IReadOnlyList<TargetGroup> TargetGroups => _snapshot.Groups;

    public event EventHandler? Changed;

    /// <summary>Replaces the scrape configs and notifies the TA.</summary>
    public void Set(IEnumerable<ScrapeConfig> scrapeConfigs)
    {
        _snapshot = Build(scrapeConfigs);
        Changed?.Invoke(this, EventArgs.Empty);
    }

    private static Snapshot Build(IEnumerable<ScrapeConfig> scrapeConfigs)
    {
        ArgumentNullException.ThrowIfNull(scrapeConfigs);
        IReadOnlyList<ScrapeConfig> configs = [.. scrapeConfigs];
        return new Snapshot(configs, [.. configs.SelectMany(c => c.StaticTargetGroups())]);
    }

    private sealed record Snapshot(IReadOnlyList<ScrapeConfig> Configs, IReadOnlyList<TargetGroup> Groups);
}
