using k8s.Models;
using OtelLab.Model.Rbac;

namespace OtelLab.Sim.Cluster;

/// <summary>
/// How an emulated component (the Target Allocator's discovery, k8sattributes) lists and watches the cluster as its
/// ServiceAccount: in process over the store (<see cref="ApiAccess"/>, the default, for speed) or through the API
/// server over HTTP with KubernetesClient (<c>ApiServer.WireClusterReader</c>, the fidelity mode). Both read the one
/// store the API serves. A refusal is a <see cref="ClusterApiException"/> carrying the API server's message.
/// </summary>
public interface IClusterReader : IDisposable
{
    RbacSubject Subject { get; }

    /// <summary>Objects of <paramref name="kind"/> in <paramref name="ns"/> (all namespaces when null) matching <paramref name="selector"/>.</summary>
    Task<IReadOnlyList<object>> ListAsync(string kind, string? ns = null, LabelSelector? selector = null, CancellationToken cancellationToken = default);

    /// <summary>Changes of <paramref name="kind"/> in <paramref name="ns"/>; with <paramref name="sendInitialEvents"/> the stream starts with an Added event per current object.</summary>
    IAsyncEnumerable<WatchEvent> Watch(string kind, string? ns = null, bool sendInitialEvents = true, CancellationToken cancellationToken = default);

    /// <summary>
    /// Calls <paramref name="changed"/> (on any thread, never under a lock the caller holds) after a change to an
    /// object of one of <paramref name="kinds"/> in <paramref name="ns"/> (any namespace when null). Dispose the
    /// result to stop.
    /// </summary>
    IDisposable OnChanged(IReadOnlyCollection<string> kinds, string? ns, Action changed);

    /// <summary>The metadata of an object as last read (labels of a ServiceMonitor, say); null when unknown.</summary>
    V1ObjectMeta? MetadataOf(string kind, string? ns, string name);
}
