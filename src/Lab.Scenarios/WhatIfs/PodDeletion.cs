using k8s.Models;
using OtelLab.Scenarios.Monitoring;

namespace OtelLab.Scenarios.WhatIfs;

/// <summary>
/// <c>kubectl delete pod</c> on a running collector pod: the kubelet stops it gracefully and its controller replaces
/// it, so a person watches what the pod took with it (a gateway's tail-sampling buffer, an agent's queue).
/// </summary>
public static class PodDeletion
{
    /// <summary>Deletes the first running pod of the named OpenTelemetryCollector (by pod name order).</summary>
    public static WhatIfResult DeleteCollectorPod(SimLab lab, string collector)
    {
        ArgumentNullException.ThrowIfNull(lab);
        var pod = CollectorFleet.Of(lab)
            .Where(c => c.Collector == collector)
            .OrderBy(c => c.Pod, StringComparer.Ordinal)
            .Select(c => lab.Pods().FirstOrDefault(p => p.Metadata.Name == c.Pod && p.Metadata.NamespaceProperty == c.Namespace))
            .FirstOrDefault(p => p is { Metadata.DeletionTimestamp: null });
        if (pod is null)
        {
            return WhatIfResult.Refused($"no running pod of the {collector} collector");
        }

        var ns = pod.Metadata.NamespaceProperty ?? "default";
        return lab.Cluster!.Delete("Pod", ns, pod.Metadata.Name)
            ? WhatIfResult.Done($"deleted pod {ns}/{pod.Metadata.Name}; its {Owner(pod)} starts a replacement")
            : WhatIfResult.Refused($"pod {ns}/{pod.Metadata.Name} was already gone");
    }

    private static string Owner(V1Pod pod) => pod.Metadata.OwnerReferences?.FirstOrDefault() is { } o ? $"{o.Kind} {o.Name}" : "controller";
}
