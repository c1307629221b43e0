using k8s.Models;

namespace OtelLab.Scenarios.Cluster;

/// <summary>
/// The cluster as the scenario layer drives it, whatever runs it (the simulated cluster's API server, k3s): the
/// operations a scenario and the guide need, each answering as a Kubernetes API client sees them.
/// </summary>
public interface ICluster
{
    /// <summary>Applies every object of a multi-document YAML text; returns one line per object (<c>deployment.apps/x created</c>).</summary>
    Task<IReadOnlyList<string>> ApplyAsync(string yaml, CancellationToken cancellationToken);

    /// <summary>Waits until a Deployment's rollout is complete, by kubectl's rule; throws <see cref="TimeoutException"/> with its last status.</summary>
    Task WaitForRolloutAsync(string ns, string deployment, TimeSpan timeout, CancellationToken cancellationToken);

    Task ScaleAsync(string ns, string deployment, int replicas, CancellationToken cancellationToken);

    Task<IReadOnlyList<V1Pod>> PodsAsync(string ns, string labelSelector, CancellationToken cancellationToken);

    Task DeletePodAsync(string ns, string pod, CancellationToken cancellationToken);

    Task<string> LogsAsync(string ns, string pod, string? container, int? tailLines, CancellationToken cancellationToken);

    Task<ExecResult> ExecAsync(string ns, string pod, string? container, IReadOnlyList<string> command, CancellationToken cancellationToken);

    /// <summary>Listens on a free loopback port and forwards each connection to the pod's <paramref name="port"/>.</summary>
    Task<PortForward> PortForwardAsync(string ns, string pod, int port, CancellationToken cancellationToken);

    Task DeleteNamespaceAsync(string ns, CancellationToken cancellationToken);

    /// <summary>
    /// Every pod of the cluster, kept current: an <c>Added</c> for each pod there is, then each change as it happens
    /// (a list, then a watch from its resourceVersion, listed again when the watch expires: a pod that went meanwhile
    /// comes as <c>Deleted</c>). Ends only with <paramref name="cancellationToken"/> or an error of the API.
    /// </summary>
    IAsyncEnumerable<PodEvent> WatchPodsAsync(CancellationToken cancellationToken);
}

/// <summary>What an exec'd command printed and its exit code.</summary>
public sealed record ExecResult(int ExitCode, string Stdout, string Stderr);
