using System.Globalization;
using k8s.Models;

namespace OtelLab.Scenarios;

/// <summary>How a pod is doing, as <c>kubectl get pods</c> shows it.</summary>
public static class PodStatus
{
    /// <summary>Restarts after which a crash-looping container counts as failing, not still starting.</summary>
    public const int SettledRestarts = 3;

    private static readonly HashSet<string> FailingReasons = new(StringComparer.Ordinal)
    {
        "CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull", "InvalidImageName", "CreateContainerConfigError",
    };

    public static bool IsReady(V1Pod pod) =>
        pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    /// <summary>
    /// The pod will not become Ready by waiting: a container waits on an image it cannot pull or a config it cannot
    /// build, or crash-loops after <see cref="SettledRestarts"/> restarts (the guide's gateway with an empty datadog key
    /// does so on every start). The lab's readiness gate stops waiting for such pods instead of running out its timeout.
    /// </summary>
    public static bool IsFailing(V1Pod pod) =>
        (pod.Status?.InitContainerStatuses ?? []).Concat(pod.Status?.ContainerStatuses ?? []).Any(s =>
            s.State?.Waiting?.Reason is { } reason && FailingReasons.Contains(reason) && (reason != "CrashLoopBackOff" || s.RestartCount >= SettledRestarts));

    /// <summary>kubectl's STATUS column: a waiting/terminated reason when there is one, else the phase.</summary>
    public static string Describe(V1Pod pod)
    {
        var statuses = (pod.Status?.InitContainerStatuses ?? []).Concat(pod.Status?.ContainerStatuses ?? []);
        foreach (var s in statuses)
        {
            if (s.State?.Waiting?.Reason is { Length: > 0 } waiting)
            {
                return s.State.Waiting.Message is { Length: > 0 } m ? $"{waiting}: {m}" : waiting;
            }

            if (s.State?.Terminated is { ExitCode: not 0 } t)
            {
                return $"{t.Reason ?? "Error"} (exit {t.ExitCode})";
            }
        }

        return pod.Status?.Phase ?? "Pending";
    }

    public static int Restarts(V1Pod pod) => (pod.Status?.ContainerStatuses ?? []).Sum(s => s.RestartCount);

    /// <summary>From the pod's creation to its Ready condition turning True; null while not Ready.</summary>
    public static TimeSpan? ReadyAfter(V1Pod pod) =>
        pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready" && c.Status == "True") is { LastTransitionTime: { } ready }
        && pod.Metadata?.CreationTimestamp is { } created
            ? ready - created
            : null;

    /// <summary>
    /// The pods that took longest to be Ready (not Ready ones first), as <c>ns/name 4.2 s (1 restart)</c>: what a
    /// start-up over budget spent its time on.
    /// </summary>
    public static IReadOnlyList<string> Slowest(IEnumerable<V1Pod> pods, int count)
    {
        ArgumentNullException.ThrowIfNull(pods);
        return pods
            .Select(p => (Pod: p, After: ReadyAfter(p)))
            .OrderByDescending(p => p.After ?? TimeSpan.MaxValue)
            .Take(count)
            .Select(p => string.Create(CultureInfo.InvariantCulture,
                $"{p.Pod.Metadata.NamespaceProperty}/{p.Pod.Metadata.Name} {(p.After is { } a ? $"{a.TotalSeconds:0.0} s" : Describe(p.Pod))}{(Restarts(p.Pod) is > 0 and var r ? $" ({r} restart{(r == 1 ? "" : "s")})" : "")}"))
            .ToList();
    }
}
