using OtelLab.Sim.Kubelet.Internal;

namespace OtelLab.Sim.Kubelet;

/// <summary>
/// A container of a pod as its kubelet knows it: its log, and while it runs, its process and the context it
/// started with (for exec).
/// </summary>
public sealed record RunningContainer(string Name, ContainerLog Log, IContainerProcess? Process, ContainerContext? Context)
{
    /// <summary>
    /// Runs a command in the container: a real process for runtimes that support exec (the sample services' child
    /// processes), else the <see cref="ImageToolbox"/> of an in-process container (wget, cat, env, ls).
    /// </summary>
    /// <exception cref="ContainerExecException">The command is not in the image.</exception>
    /// <exception cref="InvalidOperationException">The container is not running.</exception>
    public Task<int> ExecAsync(ExecRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Process switch
        {
            IContainerExec exec => exec.ExecAsync(request, cancellationToken),
            not null when Context is not null => ImageToolbox.RunAsync(Context, request, cancellationToken),
            _ => throw new InvalidOperationException($"container {Name} is not running"),
        };
    }
}
