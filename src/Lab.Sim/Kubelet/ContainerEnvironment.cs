using System.Text;
using System.Text.RegularExpressions;
using k8s.Models;
using OtelLab.Sim.Kubelet.Internal;

namespace OtelLab.Sim.Kubelet;

/// <summary>
/// Builds a container's process environment from its pod spec the way the kubelet does
/// (kubernetes pkg/kubelet/kubelet_pods.go <c>makeEnvironmentVariables</c>): envFrom first, then env in order; a
/// <c>value</c> is <c>$(VAR)</c>-expanded against the variables defined <em>so far</em> (plus service env vars), a
/// <c>valueFrom</c> reads the Downward API, a Secret or a ConfigMap. A missing Secret/ConfigMap/key that is not
/// <c>optional</c> fails the container with <c>CreateContainerConfigError</c>.
/// </summary>
public static partial class ContainerEnvironment
{
    // upstream: k8s.io/apimachinery validation.IsEnvVarName.
    [GeneratedRegex("^[-._a-zA-Z][-._a-zA-Z0-9]*$")]
    private static partial Regex EnvVarName();

    /// <param name="pod">The pod as the kubelet sees it (scheduled: <c>spec.nodeName</c>, <c>status.podIP</c>, <c>status.hostIP</c> set).</param>
    /// <param name="container">One of the pod's (init) containers.</param>
    /// <param name="sources">Secrets and ConfigMaps; null means none exist.</param>
    /// <param name="serviceEnv">Service link variables (<c>X_SERVICE_HOST</c>, …); the lab passes none by default.</param>
    public static ContainerEnvironmentResult Resolve(
        V1Pod pod,
        V1Container container,
        IEnvValueSources? sources = null,
        IReadOnlyDictionary<string, string>? serviceEnv = null)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(container);
        sources ??= InMemoryEnvValueSources.Empty;
        var ns = pod.Metadata?.NamespaceProperty ?? "default";
        var env = new OrderedEnv();
        var warnings = new List<string>();

        foreach (var from in container.EnvFrom ?? [])
        {
            var error = AddEnvFrom(from, ns, sources, env, warnings);
            if (error is not null)
            {
                return Failed(error);
            }
        }

        var services = new Dictionary<string, string>(serviceEnv ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        string? Lookup(string name) => env.TryGet(name) ?? services.GetValueOrDefault(name);
        var unresolved = new List<UnresolvedReference>();
        foreach (var variable in container.Env ?? [])
        {
            string value;
            if (!string.IsNullOrEmpty(variable.Value))
            {
                // Step 1a: expand references to variables defined earlier in this list.
                var missing = new List<string>();
                value = VariableExpansion.Expand(variable.Value, Lookup, missing);
                unresolved.AddRange(missing.Select(m => new UnresolvedReference(variable.Name, m)));
            }
            else if (variable.ValueFrom is { } source)
            {
                // Step 1b: resolve the alternate source.
                var (resolved, skip, error) = ResolveSource(source, pod, ns, sources);
                if (error is not null)
                {
                    return Failed(error);
                }

                if (skip)
                {
                    continue;
                }

                value = resolved!;
            }
            else
            {
                value = string.Empty;
            }

            services.Remove(variable.Name);
            env.Set(variable.Name, value);
        }

        foreach (var (name, value) in services.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            if (env.TryGet(name) is null)
            {
                env.Set(name, value);
            }
        }

        return new ContainerEnvironmentResult { Variables = env.Items, Unresolved = unresolved, Warnings = warnings };
    }

    private static ContainerEnvironmentResult Failed(string error) => new() { Error = error };

    private static string? AddEnvFrom(V1EnvFromSource from, string ns, IEnvValueSources sources, OrderedEnv env, List<string> warnings)
    {
        IEnumerable<KeyValuePair<string, string>> data;
        string kind;
        string name;
        if (from.ConfigMapRef is { } cmRef)
        {
            (kind, name) = ("configMap", cmRef.Name);
            var cm = sources.GetConfigMap(ns, cmRef.Name);
            if (cm is null)
            {
                return cmRef.Optional == true ? null : $"configmap \"{cmRef.Name}\" not found";
            }

            data = cm.Data ?? new Dictionary<string, string>();
        }
        else if (from.SecretRef is { } sRef)
        {
            (kind, name) = ("secret", sRef.Name);
            var secret = sources.GetSecret(ns, sRef.Name);
            if (secret is null)
            {
                return sRef.Optional == true ? null : $"secret \"{sRef.Name}\" not found";
            }

            data = SecretData(secret);
        }
        else
        {
            return null;
        }

        var invalid = new List<string>();
        foreach (var (key, value) in data.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            var k = (from.Prefix ?? string.Empty) + key;
            if (!EnvVarName().IsMatch(k))
            {
                invalid.Add(k);
                continue;
            }

            env.Set(k, value);
        }

        if (invalid.Count > 0)
        {
            // upstream: event InvalidEnvironmentVariableNames.
            warnings.Add($"Keys [{string.Join(", ", invalid.Order(StringComparer.Ordinal))}] from the EnvFrom {kind} {ns}/{name} were skipped since they are considered invalid environment variable names.");
        }

        return null;
    }

    private static (string? Value, bool Skip, string? Error) ResolveSource(V1EnvVarSource source, V1Pod pod, string ns, IEnvValueSources sources)
    {
        if (source.FieldRef is { } fieldRef)
        {
            var (value, error) = DownwardApi.Resolve(fieldRef, pod);
            return (value, false, error);
        }

        if (source.ConfigMapKeyRef is { } cmRef)
        {
            var optional = cmRef.Optional == true;
            var cm = sources.GetConfigMap(ns, cmRef.Name);
            if (cm is null)
            {
                return optional ? (null, true, null) : (null, false, $"configmap \"{cmRef.Name}\" not found");
            }

            if (cm.Data?.TryGetValue(cmRef.Key, out var value) == true)
            {
                return (value, false, null);
            }

            return optional ? (null, true, null) : (null, false, $"couldn't find key {cmRef.Key} in ConfigMap {ns}/{cmRef.Name}");
        }

        if (source.SecretKeyRef is { } sRef)
        {
            var optional = sRef.Optional == true;
            var secret = sources.GetSecret(ns, sRef.Name);
            if (secret is null)
            {
                return optional ? (null, true, null) : (null, false, $"secret \"{sRef.Name}\" not found");
            }

            var data = SecretData(secret).ToDictionary(StringComparer.Ordinal);
            if (data.TryGetValue(sRef.Key, out var value))
            {
                return (value, false, null);
            }

            return optional ? (null, true, null) : (null, false, $"couldn't find key {sRef.Key} in Secret {ns}/{sRef.Name}");
        }

        // resourceFieldRef (requests/limits) is not emulated.
        return (null, false, "lab: env valueFrom.resourceFieldRef is not emulated by the sim kubelet");
    }

    // The API server merges stringData into data on write (stringData wins), so the kubelet only ever sees data.
    private static IEnumerable<KeyValuePair<string, string>> SecretData(V1Secret secret)
    {
        var merged = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in secret.Data ?? new Dictionary<string, byte[]>())
        {
            merged[k] = Encoding.UTF8.GetString(v);
        }

        foreach (var (k, v) in secret.StringData ?? new Dictionary<string, string>())
        {
            merged[k] = v;
        }

        return merged;
    }
}
