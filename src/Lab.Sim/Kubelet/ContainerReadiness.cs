namespace OtelLab.Sim.Kubelet;

/// <summary>
/// A container's readiness as its probe would report it. A container without a readiness probe is ready as soon as
/// it runs (Kubernetes semantics); one with a probe is ready once the component says so here.
/// </summary>
public sealed class ContainerReadiness
{
    private readonly Action _changed;
    private int _ready;

    internal ContainerReadiness(Action changed)
    {
        _changed = changed;
    }

    public bool IsReady => Volatile.Read(ref _ready) == 1;

    public void Set(bool ready)
    {
        if (Interlocked.Exchange(ref _ready, ready ? 1 : 0) != (ready ? 1 : 0))
        {
            _changed();
        }
    }
}
