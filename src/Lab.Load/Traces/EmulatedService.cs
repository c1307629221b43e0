using System.Net;

namespace OtelLab.Load.Traces;

/// <summary>
/// One emulated workload: a service on a pod, sending its spans from the pod's address to an OTLP endpoint (the
/// node's agent at <c>hostIP:4317</c> for gRPC or <c>hostIP:4318</c> for HTTP, as the fixed manifests do).
/// </summary>
/// <param name="Name">service.name.</param>
/// <param name="PodAddress">Connections leave from this address (so the agent's connection association sees the pod IP); loopback only.</param>
/// <param name="Endpoint">OTLP endpoint, e.g. <c>http://127.1.0.2:4317</c>.</param>
public sealed record EmulatedService(string Name, IPAddress PodAddress, Uri Endpoint)
{
    /// <summary>Resource attributes added to service.name (e.g. k8s.pod.ip).</summary>
    public IReadOnlyDictionary<string, string> Resource { get; init; } = new Dictionary<string, string>();
}
