using k8s.Models;

namespace OtelLab.Sim.Kubelet;

/// <summary>
/// The seam through which the kubelet reads the Secrets and ConfigMaps a container's <c>valueFrom</c> / <c>envFrom</c>
/// name (upstream: the kubelet's secretManager / configMapManager). Null means "not found".
/// </summary>
public interface IEnvValueSources
{
    V1Secret? GetSecret(string ns, string name);

    V1ConfigMap? GetConfigMap(string ns, string name);
}
