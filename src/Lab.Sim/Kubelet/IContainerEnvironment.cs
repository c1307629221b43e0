using k8s.Models;

namespace OtelLab.Sim.Kubelet;

/// <summary>
/// How the kubelet turns a container's <c>env</c> (and <c>envFrom</c>) into the process environment: literal
/// values, <c>$(VAR)</c> expansion, <c>fieldRef</c>/<c>resourceFieldRef</c>, ConfigMap and Secret references.
/// The full kubelet behaviour plugs in here.
/// </summary>
public interface IContainerEnvironment
{
    IReadOnlyList<KeyValuePair<string, string>> Resolve(V1Pod pod, V1Container container);
}

/// <summary>
/// Stand-in: literal <c>value</c>s only, in order, without <c>$(VAR)</c> expansion; entries with <c>valueFrom</c>
/// and <c>envFrom</c> are left out. Replace with the full kubelet environment resolution.
/// </summary>
public sealed class LiteralOnlyEnvironment : IContainerEnvironment
{
    public IReadOnlyList<KeyValuePair<string, string>> Resolve(V1Pod pod, V1Container container)
    {
        ArgumentNullException.ThrowIfNull(container);
        return (container.Env ?? [])
            .Where(e => e.ValueFrom is null)
            .Select(e => new KeyValuePair<string, string>(e.Name, e.Value ?? string.Empty))
            .ToList();
    }
}
