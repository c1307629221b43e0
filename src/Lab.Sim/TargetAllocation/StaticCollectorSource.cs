namespace OtelLab.Sim.TargetAllocation;

/// <summary>A collector source whose pods are set by hand (tests, the <c>allocate</c> verb, simple scenarios).</summary>
public sealed class StaticCollectorSource : ICollectorSource
{
    private volatile IReadOnlyList<CollectorPod> _pods;

    public StaticCollectorSource(IEnumerable<CollectorPod>? pods = null) => _pods = [.. pods ?? []];

    public IReadOnlyList<CollectorPod> Pods => _pods;

    public event EventHandler? Changed;

    /// <summary>Replaces the pods and notifies the watcher.</summary>
    public void Set(IEnumerable<CollectorPod> pods)
    {
        _pods = [.. pods];
        Changed?.Invoke(this, EventArgs.Empty);
    }
}
