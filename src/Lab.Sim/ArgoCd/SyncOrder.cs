using System.Globalization;
using System.Text.Json.Nodes;

namespace OtelLab.Sim.ArgoCd;

/// <summary>
/// The order Argo CD applies a sync's objects in (gitops-engine pkg/sync/sync_tasks.go syncTasks.Less and Sort):
/// sync wave, then kind (<c>kindOrder</c>, Helm's kind_sorter: kinds not listed — every custom resource — rank 0,
/// i.e. last), then name; then a Namespace is moved before the first object in it and a CRD before the first of
/// its custom resources (adjustDeps), taking that object's wave.
/// </summary>
public static class SyncOrder
{
    /// <summary>upstream: sync_tasks.go kindOrder, in its order (rank = index − count, so every entry is below 0).</summary>
    public static readonly IReadOnlyList<string> KindOrder =
    [
        "Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange", "PodSecurityPolicy", "PodDisruptionBudget",
        "ServiceAccount", "Secret", "SecretList", "ConfigMap", "StorageClass", "PersistentVolume", "PersistentVolumeClaim",
        "CustomResourceDefinition", "ClusterRole", "ClusterRoleList", "ClusterRoleBinding", "ClusterRoleBindingList",
        "Role", "RoleList", "RoleBinding", "RoleBindingList", "Service", "DaemonSet", "Pod", "ReplicationController",
        "ReplicaSet", "Deployment", "HorizontalPodAutoscaler", "StatefulSet", "Job", "CronJob", "IngressClass", "Ingress",
        "APIService",
    ];

    /// <summary>The annotation that sets an object's wave (gitops-engine pkg/sync/syncwaves/waves.go).</summary>
    public const string WaveAnnotation = "argocd.argoproj.io/sync-wave";

    public static int KindRank(string kind)
    {
        var i = -1;
        for (var k = 0; k < KindOrder.Count; k++)
        {
            if (KindOrder[k] == kind)
            {
                i = k;
                break;
            }
        }

        return i < 0 ? 0 : i - KindOrder.Count;
    }

    /// <summary>The object's wave: the annotation's integer, else 0 (waves.go Wave; an unparsable value is 0 too).</summary>
    public static int Wave(JsonObject obj)
    {
        var text = (string?)obj["metadata"]?["annotations"]?[WaveAnnotation];
        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var w) ? w : 0;
    }

    /// <summary>The objects in apply order, each with the wave it is applied in.</summary>
    public static IReadOnlyList<(TargetObject Object, int Wave)> Sort(IEnumerable<TargetObject> objects)
    {
        var tasks = objects.Select(o => (Object: o, Wave: Wave(o.Object)))
            .OrderBy(t => t.Wave)
            .ThenBy(t => KindRank(t.Object.Kind))
            .ThenBy(t => t.Object.Name, StringComparer.Ordinal)
            .ToList();

        // upstream: Sort → adjustDeps: namespaces before what lives in them, CRDs before their CRs.
        AdjustDeps(tasks, t => t.Object.Kind == "Namespace" && t.Object.Group.Length == 0 ? t.Object.Name : null, t => t.Object.Namespace);
        AdjustDeps(tasks,
            t => t.Object.Kind == "CustomResourceDefinition" ? $"{(string?)t.Object.Object["spec"]?["group"]}/{(string?)t.Object.Object["spec"]?["names"]?["kind"]}" : null,
            t => $"{t.Object.Group}/{t.Object.Kind}");
        return tasks;
    }

    private static void AdjustDeps(List<(TargetObject Object, int Wave)> tasks, Func<(TargetObject Object, int Wave), string?> provides, Func<(TargetObject Object, int Wave), string?> needs)
    {
        for (var i = 0; i < tasks.Count; i++)
        {
            if (provides(tasks[i]) is not { } key)
            {
                continue;
            }

            var first = tasks.FindIndex(t => needs(t) == key);
            if (first >= 0 && first < i)
            {
                // Move it just before its first dependant, in that dependant's wave.
                var moved = (tasks[i].Object, tasks[first].Wave);
                tasks.RemoveAt(i);
                tasks.Insert(first, moved);
            }
        }
    }
}
