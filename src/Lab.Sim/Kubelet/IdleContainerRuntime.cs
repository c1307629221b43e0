namespace OtelLab.Sim.Kubelet;

/// <summary>
/// Stand-in for images no runtime serves: the container runs, is ready at once and does nothing until stopped.
/// Lets workloads whose behaviour the lab does not emulate still occupy pods, IPs and endpoints.
/// </summary>
public sealed class IdleContainerRuntime : IContainerRuntime
{
    private readonly InProcessContainerRuntime _inner = new();

    public IdleContainerRuntime()
    {
        _inner.Register("*", async (context, stop) =>
        {
            context.Log.Write($"lab: stand-in container for image {context.Container.Image} (no runtime registered); idle until stopped");
            context.Readiness.Set(true);
            await Task.Delay(Timeout.Infinite, stop).ConfigureAwait(false);
            return 0;
        });
    }

    public bool CanRun(string image) => true;

    public Task<IContainerProcess> StartAsync(ContainerContext context, CancellationToken cancellationToken) =>
        _inner.StartAsync(context, cancellationToken);
}
