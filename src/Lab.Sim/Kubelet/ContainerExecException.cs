namespace OtelLab.Sim.Kubelet;

/// <summary>
/// The runtime could not start an exec'd command: the message is the OCI runtime's, e.g.
/// <c>exec: "sh": executable file not found in $PATH</c> (runc libcontainer, as containerd reports it).
/// </summary>
public sealed class ContainerExecException : Exception
{
    public ContainerExecException()
    {
    }

    public ContainerExecException(string message)
        : base(message)
    {
    }

    public ContainerExecException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>
    /// runc's answer for a command that is not in the image: a bare name is looked up in $PATH, a path is stat'ed.
    /// </summary>
    public static ContainerExecException NotFound(string program) =>
        new(program.Contains('/', StringComparison.Ordinal)
            ? $"exec: \"{program}\": stat {program}: no such file or directory"
            : $"exec: \"{program}\": executable file not found in $PATH");
}
