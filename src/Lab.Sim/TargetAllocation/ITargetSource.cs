namespace OtelLab.Sim.TargetAllocation;

/// <summary>
/// Where the TA gets scrape configs and discovered targets from: a static config, kubernetes_sd over a cluster
/// model, ServiceMonitors… The TA reads a snapshot whenever <see cref="Changed"/> fires.
/// </summary>
public interface ITargetSource
{
    /// <summary>The event source name (the <c>source</c> label of <c>opentelemetry_allocator_events</c>).</summary>
    string Name { get; }

    /// <summary>The scrape configs this source contributes, one per job.</summary>
    IReadOnlyList<ScrapeConfig> ScrapeConfigs { get; }

    /// <summary>The currently discovered target groups of this source's jobs.</summary>
    IReadOnlyList<TargetGroup> TargetGroups { get; }

    /// <summary>Raised when the scrape configs or the target groups change.</summary>
    event EventHandler? Changed;
}
