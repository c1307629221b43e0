using System.Runtime.CompilerServices;
using System.Threading.Channels;
using k8s.Models;
using OtelLab.Scenarios.Cluster;

namespace OtelLab.Tests.Support;

/// <summary>A cluster whose pod watch is what the test writes; only what the pod resources use is answered.</summary>
internal sealed class ScriptedCluster : ICluster
{
    public Channel<PodEvent> Events { get; } = Channel.CreateUnbounded<PodEvent>();

    public List<V1Pod> Pods { get; } = [];

    public Dictionary<string, string> Logs { get; } = new(StringComparer.Ordinal);

    public List<(string Ns, string Pod, string? Container, int? Tail)> LogRequests { get; } = [];

    /// <summary>Thrown by the next watch as it starts (an API that went away), then cleared.</summary>
    public Exception? FailNextWatch { get; set; }

    public int Watches { get; private set; }

    public async IAsyncEnumerable<PodEvent> WatchPodsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Watches++;
        if (FailNextWatch is { } failure)
        {
            FailNextWatch = null;
            throw failure;
        }

        await foreach (var e in Events.Reader.ReadAllAsync(cancellationToken))
        {
            yield return e;
        }
    }

    public Task<IReadOnlyList<V1Pod>> PodsAsync(string ns, string labelSelector, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<V1Pod>>(Pods.Where(p => p.Metadata.NamespaceProperty == ns).ToList());

    public Task<string> LogsAsync(string ns, string pod, string? container, int? tailLines, CancellationToken cancellationToken)
    {
        LogRequests.Add((ns, pod, container, tailLines));
        return Task.FromResult(Logs[$"{pod}/{container}"]);
    }

    public Task<IReadOnlyList<string>> ApplyAsync(string yaml, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task WaitForRolloutAsync(string ns, string deployment, TimeSpan timeout, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task ScaleAsync(string ns, string deployment, int replicas, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task DeletePodAsync(string ns, string pod, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<ExecResult> ExecAsync(string ns, string pod, string? container, IReadOnlyList<string> command, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<PortForward> PortForwardAsync(string ns, string pod, int port, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task DeleteNamespaceAsync(string ns, CancellationToken cancellationToken) => throw new NotSupportedException();
}
