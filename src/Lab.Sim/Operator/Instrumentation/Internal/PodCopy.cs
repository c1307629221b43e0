using k8s;
using k8s.Models;

namespace OtelLab.Sim.Operator.Instrumentation.Internal;

/// <summary>Deep copies and compares pods through their JSON form (KubernetesClient models have no DeepCopy).</summary>
internal static class PodCopy
{
    public static V1Pod Clone(V1Pod pod) => KubernetesJson.Deserialize<V1Pod>(KubernetesJson.Serialize(pod));

    public static bool SameJson(V1Pod a, V1Pod b) => KubernetesJson.Serialize(a) == KubernetesJson.Serialize(b);
}
