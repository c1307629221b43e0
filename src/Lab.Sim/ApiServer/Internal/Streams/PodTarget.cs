using k8s.Models;
using OtelLab.Sim.Cluster;
using OtelLab.Sim.Kubelet;

namespace OtelLab.Sim.ApiServer.Internal.Streams;

/// <summary>
/// The pod and container a log/exec request addresses, chosen as the API server does
/// (kubernetes pkg/registry/core/pod/strategy.go LogLocation/ExecLocation): no container name is fine for a
/// one-container pod, else a 400 naming the choices; an unknown name is a 400 too.
/// </summary>
internal sealed record PodTarget(V1Pod Pod, string Container)
{
    public static PodTarget Resolve(SimulatedCluster cluster, string ns, string name, string? container)
    {
        var pod = cluster.Get<V1Pod>(ns, name) ?? throw new ClusterApiException(404, "NotFound", $"pods \"{name}\" not found");
        var containers = pod.Spec?.Containers ?? [];
        var init = pod.Spec?.InitContainers ?? [];
        if (string.IsNullOrEmpty(container))
        {
            if (containers.Count == 1)
            {
                return new PodTarget(pod, containers[0].Name);
            }

            var message = $"a container name must be specified for pod {name}";
            if (containers.Count > 1)
            {
                message += $", choose one of: [{string.Join(' ', containers.Select(c => c.Name))}]";
                if (init.Count > 0)
                {
                    message += $" or one of the init containers: [{string.Join(' ', init.Select(c => c.Name))}]";
                }
            }

            throw new ClusterApiException(400, "BadRequest", message);
        }

        if (!containers.Concat(init).Any(c => c.Name == container))
        {
            throw new ClusterApiException(400, "BadRequest", $"container {container} is not valid for pod {name}");
        }

        return new PodTarget(pod, container);
    }

    /// <summary>The container on its node, or a 400 as the kubelet answers for one that has not started.</summary>
    public RunningContainer Find(NodeAgents? nodes)
    {
        var found = nodes?.Find(Pod.Metadata.NamespaceProperty, Pod.Metadata.Name, Container);
        if (found is null)
        {
            // upstream: kubelet pkg/kubelet/kubelet_pods.go validateContainerLogStatus — "is waiting to start".
            var reason = Pod.Status?.ContainerStatuses?.FirstOrDefault(s => s.Name == Container)?.State?.Waiting?.Reason ?? "ContainerCreating";
            throw new ClusterApiException(400, "BadRequest", $"container \"{Container}\" in pod \"{Pod.Metadata.Name}\" is waiting to start: {reason}");
        }

        return found;
    }
}
