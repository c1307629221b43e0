using k8s.Models;

namespace OtelLab.Scenarios;

/// <summary>How a pod is doing, as <c>kubectl get pods</c> shows it.</summary>
public static class PodStatus
{
    public static bool IsReady(V1Pod pod) =>
        pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

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
}
