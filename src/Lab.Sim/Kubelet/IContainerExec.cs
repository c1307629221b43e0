namespace OtelLab.Sim.Kubelet;

/// <summary>
/// A running container that can run another command inside it (<c>kubectl exec</c>; the CRI's ExecSync/Exec). A
/// container process implements it when its runtime supports exec.
/// </summary>
public interface IContainerExec
{
    /// <summary>
    /// Runs <see cref="ExecRequest.Command"/> in the container and returns its exit code; throws
    /// <see cref="ContainerExecException"/> when the command cannot start at all (no such binary in the image).
    /// </summary>
    Task<int> ExecAsync(ExecRequest request, CancellationToken cancellationToken);
}

/// <summary>A command to run in a container, with its standard streams (stdin absent unless the client sends it).</summary>
public sealed record ExecRequest(IReadOnlyList<string> Command, Stream? Stdin, Stream Stdout, Stream Stderr);
