namespace OtelLab.Sim.Kubelet;

/// <summary>
/// Thrown by an <see cref="IContainerRuntime"/> when the container's image cannot be pulled: unlike any other start
/// failure, the container never ran, so it waits in <c>ErrImagePull</c>/<c>ImagePullBackOff</c> and the pod stays
/// <c>Pending</c> (upstream: kubernetes pkg/kubelet/kubelet_pods.go getPhase counts a waiting container without a
/// last termination as waiting → Pending; a container that started and failed is "stopped" → Running under
/// restartPolicy Always).
/// </summary>
public sealed class ImagePullException : Exception
{
    public ImagePullException()
    {
    }

    public ImagePullException(string message)
        : base(message)
    {
    }

    public ImagePullException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
