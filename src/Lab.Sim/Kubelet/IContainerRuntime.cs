namespace OtelLab.Sim.Kubelet;

/// <summary>
/// The container runtime seam (the CRI of the sim): starts a pod's container for an image. In-process components
/// (collector, target allocator, target farm) register through <see cref="InProcessContainerRuntime"/>; a
/// child-process runtime (sample services) plugs in here too. The kubelet asks runtimes in order and uses the first
/// that <see cref="CanRun"/> the image.
/// </summary>
public interface IContainerRuntime
{
    bool CanRun(string image);

    /// <summary>Starts the container; a thrown exception is a start failure (the kubelet backs off and retries).</summary>
    Task<IContainerProcess> StartAsync(ContainerContext context, CancellationToken cancellationToken);
}

/// <summary>A running container: it ends by itself (<see cref="Exited"/> completes with the exit code) or when stopped.</summary>
public interface IContainerProcess : IAsyncDisposable
{
    /// <summary>Completes with the exit code when the container's main process ends.</summary>
    Task<int> Exited { get; }

    /// <summary>Asks the container to stop (SIGTERM) and waits for it to exit.</summary>
    Task StopAsync(CancellationToken cancellationToken);
}
