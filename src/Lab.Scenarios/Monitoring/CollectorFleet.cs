using k8s.Models;
using OtelLab.Sim.Collector.Runtime;

namespace OtelLab.Scenarios.Monitoring;

/// <summary>
/// The lab's running collectors, found as the kubelets run them: every pod the collector runtime(s) hold an instance
/// for, grouped into tiers by the OpenTelemetryCollector that owns them. Read-only; never throws on a lab that is
/// still starting (no runtimes yet → no collectors).
/// </summary>
public static class CollectorFleet
{
    /// <summary>upstream operator: every managed pod carries <c>app.kubernetes.io/instance: &lt;namespace&gt;.&lt;name&gt;</c>.</summary>
    private const string InstanceLabel = "app.kubernetes.io/instance";

    public static IReadOnlyList<RunningCollector> Of(SimLab lab)
    {
        ArgumentNullException.ThrowIfNull(lab);
        var runtimes = lab.Runtimes.OfType<CollectorContainerRuntime>().ToList();
        if (runtimes.Count == 0)
        {
            return [];
        }

        var found = new List<RunningCollector>();
        foreach (var pod in lab.Pods())
        {
            var ns = pod.Metadata.NamespaceProperty ?? "default";
            var instance = runtimes.Select(r => r.Find(ns, pod.Metadata.Name)).FirstOrDefault(i => i is not null);
            if (instance is not null)
            {
                var collector = CollectorName(pod);
                found.Add(new RunningCollector($"{collector} ({Mode(pod)})", collector, ns, pod.Metadata.Name, instance));
            }
        }

        return found;
    }

    /// <summary>The OpenTelemetryCollector's name from the operator's instance label (the pod name when unlabelled).</summary>
    public static string CollectorName(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var ns = pod.Metadata.NamespaceProperty ?? "default";
        return pod.Metadata.Labels?.TryGetValue(InstanceLabel, out var instance) == true && instance.StartsWith(ns + ".", StringComparison.Ordinal)
            ? instance[(ns.Length + 1)..]
            : pod.Metadata.Name;
    }

    // The CR's spec.mode, read back from what the operator created: DaemonSet, StatefulSet, or a Deployment's ReplicaSet.
    private static string Mode(V1Pod pod) => pod.Metadata.OwnerReferences?.FirstOrDefault()?.Kind switch
    {
        "DaemonSet" => "daemonset",
        "StatefulSet" => "statefulset",
        "ReplicaSet" => "deployment",
        null => "sidecar",
        var other => other.ToLowerInvariant(),
    };
}
