using k8s.Models;

namespace OtelLab.Sim.TargetAllocation.Discovery;

/// <summary>The objects one discovery pass sees (what the SD informers hold), indexed for the pod and service look-ups.</summary>
public sealed class KubernetesObjects
{
    private readonly Dictionary<(string?, string), V1Pod> _pods;
    private readonly Dictionary<(string?, string), V1Service> _services;

    public KubernetesObjects(
        IReadOnlyList<V1Pod>? pods = null,
        IReadOnlyList<V1Service>? services = null,
        IReadOnlyList<V1Endpoints>? endpoints = null,
        IReadOnlyList<V1EndpointSlice>? endpointSlices = null,
        IReadOnlyList<V1Node>? nodes = null)
    {
        Pods = pods ?? [];
        Services = services ?? [];
        Endpoints = endpoints ?? [];
        EndpointSlices = endpointSlices ?? [];
        Nodes = nodes ?? [];
        _pods = Pods.ToDictionary(p => ((string?)p.Metadata.NamespaceProperty, p.Metadata.Name));
        _services = Services.ToDictionary(s => ((string?)s.Metadata.NamespaceProperty, s.Metadata.Name));
    }

    public IReadOnlyList<V1Pod> Pods { get; }

    public IReadOnlyList<V1Service> Services { get; }

    public IReadOnlyList<V1Endpoints> Endpoints { get; }

    public IReadOnlyList<V1EndpointSlice> EndpointSlices { get; }

    public IReadOnlyList<V1Node> Nodes { get; }

    public V1Pod? Pod(string? ns, string name) => _pods.GetValueOrDefault((ns, name));

    public V1Service? Service(string? ns, string name) => _services.GetValueOrDefault((ns, name));
}
