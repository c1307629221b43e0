namespace OtelLab.Sim.TargetAllocation;

/// <summary>The collector pods the TA's watcher sees (the pods matching its collector selector).</summary>
public interface ICollectorSource
{
    /// <summary>The current pods.</summary>
    IReadOnlyList<CollectorPod> Pods { get; }

    /// <summary>Raised when a pod is added, updated or deleted.</summary>
    event EventHandler? Changed;
}
