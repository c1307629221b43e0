namespace OtelLab.Sim.Kubelet;

/// <summary>How the simulated kubelets run containers.</summary>
public sealed record KubeletOptions
{
    /// <summary>Runtimes asked in order; the first that can run an image starts it.</summary>
    public IReadOnlyList<IContainerRuntime> Runtimes { get; init; } = [];

    /// <summary>Run images no runtime serves as idle stand-ins (ready, doing nothing); otherwise they wait in ErrImagePull.</summary>
    public bool IdleUnknownImages { get; init; } = true;

    public IContainerEnvironment Environment { get; init; } = new LiteralOnlyEnvironment();

    /// <summary>
    /// How in-process components (the Target Allocator's discovery, k8sattributes) list and watch the cluster: null
    /// reads the store in process (fast); a factory of <c>ApiServer.WireClusterReader</c> sends them through the API
    /// server over HTTP (the fidelity mode).
    /// </summary>
    public Func<Model.Rbac.RbacSubject, Cluster.IClusterReader>? ComponentApi { get; init; }

    /// <summary>Lines kept per container log.</summary>
    public int LogCapacity { get; init; } = 2000;
}
