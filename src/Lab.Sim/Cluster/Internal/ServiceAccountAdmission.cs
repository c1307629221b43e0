using k8s.Models;

namespace OtelLab.Sim.Cluster.Internal;

/// <summary>
/// The ServiceAccount admission plugin on pod creation: defaults <c>serviceAccountName</c> to <c>default</c> and
/// refuses a pod whose ServiceAccount does not exist.
/// upstream: kubernetes plugin/pkg/admission/serviceaccount/admission.go — "error looking up service account %s/%s: %w",
/// wrapped by admission.NewForbidden, which names the pod by generateName when the name is not generated yet.
/// </summary>
internal static class ServiceAccountAdmission
{
    public static void Admit(SimulatedCluster cluster, V1Pod pod, V1ObjectMeta meta)
    {
        pod.Spec ??= new V1PodSpec();
        if (string.IsNullOrEmpty(pod.Spec.ServiceAccountName))
        {
            pod.Spec.ServiceAccountName = string.IsNullOrEmpty(pod.Spec.ServiceAccount) ? "default" : pod.Spec.ServiceAccount;
        }

        var sa = pod.Spec.ServiceAccountName;
        if (cluster.Store.Get(ResourceKind.Of("ServiceAccount"), meta.NamespaceProperty, sa) is null)
        {
            var name = string.IsNullOrEmpty(meta.Name) ? meta.GenerateName : meta.Name;
            throw ClusterApiException.Forbidden(
                $"pods \"{name}\" is forbidden: error looking up service account {meta.NamespaceProperty}/{sa}: serviceaccount \"{sa}\" not found");
        }
    }
}
