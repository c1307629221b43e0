namespace OtelLab.Sim.Kubelet;

/// <summary>
/// Stand-in for images no runtime serves: an app container runs, is ready at once and does nothing until stopped;
/// an init container (e.g. the auto-instrumentation copy step) completes at once with exit code 0.
/// Lets workloads whose behaviour the lab does not emulate still occupy pods, IPs and endpoints.
/// </summary>
public sealed class IdleContainerRuntime : IContainerRuntime
{
    private readonly InProcessContainerRuntime _inner = new();

    public IdleContainerRuntime()
    {
        _inner.Register("*", async (context, stop) =>
        {
            if (context.Pod.Spec.InitContainers?.Any(c => c.Name == context.Container.Name) == true)
            {
                context.Log.Write($"lab: stand-in init container for image {context.Container.Image} (no runtime registered); completed");
                return 0;
            }

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
