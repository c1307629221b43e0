namespace OtelLab.Sim.Kubelet;

/// <summary>How the simulated kubelets run containers.</summary>
public sealed record KubeletOptions
{
    /// <summary>Runtimes asked in order; the first that can run an image starts it.</summary>
    public IReadOnlyList<IContainerRuntime> Runtimes { get; init; } = [];

    /// <summary>Run images no runtime serves as idle stand-ins (ready, doing nothing); otherwise they wait in ErrImagePull.</summary>
    public bool IdleUnknownImages { get; init; } = true;

    public IContainerEnvironment Environment { get; init; } = new LiteralOnlyEnvironment();

    /// <summary>Lines kept per container log.</summary>
    public int LogCapacity { get; init; } = 2000;
}
