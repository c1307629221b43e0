using k8s.Models;

namespace OtelLab.Sim.Kubelet;

/// <summary>An <see cref="IEnvValueSources"/> over a fixed set of Secrets and ConfigMaps (keyed by namespace and name).</summary>
public sealed class InMemoryEnvValueSources : IEnvValueSources
{
    private readonly Dictionary<(string, string), V1Secret> _secrets = [];
    private readonly Dictionary<(string, string), V1ConfigMap> _configMaps = [];

    /// <summary>No Secrets and no ConfigMaps: every reference is "not found".</summary>
    public static InMemoryEnvValueSources Empty => new();

    public InMemoryEnvValueSources Add(V1Secret secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        _secrets[(secret.Metadata.NamespaceProperty ?? "default", secret.Metadata.Name)] = secret;
        return this;
    }

    public InMemoryEnvValueSources Add(V1ConfigMap configMap)
    {
        ArgumentNullException.ThrowIfNull(configMap);
        _configMaps[(configMap.Metadata.NamespaceProperty ?? "default", configMap.Metadata.Name)] = configMap;
        return this;
    }

    public V1Secret? GetSecret(string ns, string name) => _secrets.GetValueOrDefault((ns, name));

    public V1ConfigMap? GetConfigMap(string ns, string name) => _configMaps.GetValueOrDefault((ns, name));
}
