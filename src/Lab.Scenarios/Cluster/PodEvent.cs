using k8s;
using k8s.Models;

namespace OtelLab.Scenarios.Cluster;

/// <summary>One change of a pod as a watch reports it: <c>Added</c>, <c>Modified</c> or <c>Deleted</c>, with the pod as it is then.</summary>
public sealed record PodEvent(WatchEventType Type, V1Pod Pod)
{
    /// <summary><c>namespace/name</c>: what tells two pods apart cluster-wide.</summary>
    public string Key => $"{Pod.Metadata.NamespaceProperty ?? "default"}/{Pod.Metadata.Name}";
}
