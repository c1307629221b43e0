using k8s;
using k8s.Models;

namespace OtelLab.Sim.Cluster.Internal;

/// <summary>Metadata access and copies of model objects (KubernetesClient models are mutable; the store never shares them).</summary>
internal static class ObjectModel
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, System.Reflection.MethodInfo> Deserializers = new();

    public static V1ObjectMeta? MetadataOf(object value) => (value as IMetadata<V1ObjectMeta>)?.Metadata;

    /// <summary>A deep copy of a KubernetesClient model (JSON round trip); Lab.Model records are immutable and returned as is.</summary>
    public static T Clone<T>(T value)
        where T : class
    {
        if (value is not IKubernetesObject)
        {
            return value;
        }

        return (T)Deserialize(value.GetType(), KubernetesJson.Serialize(value));
    }

    /// <summary>A KubernetesClient model of type <paramref name="type"/> from JSON (the API server decoding a request body).</summary>
    public static object Deserialize(Type type, string json)
    {
        var deserialize = Deserializers.GetOrAdd(type, static t =>
            typeof(KubernetesJson).GetMethods()
                .First(m => m.Name == nameof(KubernetesJson.Deserialize) && m.IsGenericMethodDefinition && m.GetParameters() is [{ ParameterType: var p }, _] && p == typeof(string))
                .MakeGenericMethod(t));
        try
        {
            return deserialize.Invoke(null, [json, null])!;
        }
        catch (System.Reflection.TargetInvocationException e) when (e.InnerException is System.Text.Json.JsonException j)
        {
            throw new ClusterApiException(400, "BadRequest", j.Message);
        }
    }

    public static V1ObjectMeta CloneMeta(V1ObjectMeta meta) => KubernetesJson.Deserialize<V1ObjectMeta>(KubernetesJson.Serialize(meta));

    public static void Stamp(object value, ResourceKind kind)
    {
        if (value is IKubernetesObject k)
        {
            k.ApiVersion = kind.ApiVersion;
            k.Kind = kind.Kind;
        }
    }

    /// <summary>
    /// Keeps what the server owns when a client replaces an object (apply, an operator's update): the status, and a
    /// pod's scheduling and admission results. Returns <paramref name="desired"/>.
    /// </summary>
    public static object CarryServerFields(object desired, object existing)
    {
        if (desired.GetType() != existing.GetType())
        {
            return desired;
        }

        if (desired.GetType().GetProperty("Status") is { CanWrite: true } status)
        {
            status.SetValue(desired, status.GetValue(existing));
        }

        if (desired is V1Pod pod && existing is V1Pod old)
        {
            pod.Spec.NodeName ??= old.Spec.NodeName;
            pod.Spec.ServiceAccountName ??= old.Spec.ServiceAccountName;
        }

        return desired;
    }

    /// <summary>
    /// Whether an update changes more than metadata: the generation counts spec changes only (upstream: the registry
    /// strategies' PrepareForUpdate, e.g. pkg/registry/apps/deployment/strategy.go, bump it when the spec differs), so a
    /// label, an annotation or managedFields leave it as it was. CR models have no separate spec here: any new model counts.
    /// </summary>
    public static bool SpecChanged(object updated, object existing)
    {
        if (updated is not IKubernetesObject || updated.GetType() != existing.GetType())
        {
            return !ReferenceEquals(updated, existing);
        }

        var spec = updated.GetType().GetProperty("Spec");
        return spec is null
            ? KubernetesJson.Serialize(WithoutMetadata(updated)) != KubernetesJson.Serialize(WithoutMetadata(existing))
            : KubernetesJson.Serialize(spec.GetValue(updated)) != KubernetesJson.Serialize(spec.GetValue(existing));
    }

    private static Dictionary<string, object?> WithoutMetadata(object value) =>
        value.GetType().GetProperties()
            .Where(p => p.Name is not ("Metadata" or "Status" or "ApiVersion" or "Kind") && p.GetIndexParameters().Length == 0)
            .ToDictionary(p => p.Name, p => p.GetValue(value));

    public static bool IsPodReady(V1Pod pod) =>
        pod.Metadata.DeletionTimestamp is null &&
        pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    public static V1OwnerReference? ControllerOf(V1ObjectMeta meta) =>
        meta.OwnerReferences?.FirstOrDefault(o => o.Controller == true);
}
