using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;

namespace OtelLab.Sim.ArgoCd.Internal;

/// <summary>
/// Get/create/replace/delete/list of any kind through KubernetesClient's <see cref="GenericClient"/>. The resource
/// name is guessed from the kind as client-go's RESTMapper does without discovery (apimachinery
/// pkg/api/meta/restmapper.go UnsafeGuessKindToResource).
/// </summary>
internal sealed class ResourceClient(IKubernetes client)
{
    public static string Plural(string kind)
    {
        var k = kind.ToLowerInvariant();
        if (k.EndsWith("endpoints", StringComparison.Ordinal))
        {
            return k;
        }

        if (k.EndsWith('s'))
        {
            return k + "es";
        }

        return k.EndsWith('y') ? k[..^1] + "ies" : k + "s";
    }

    public static bool IsClusterScoped(string kind) => kind is "Namespace" or "Node" or "ClusterRole" or "ClusterRoleBinding"
        or "CustomResourceDefinition" or "StorageClass" or "PersistentVolume" or "IngressClass" or "APIService" or "PriorityClass"
        or "MutatingWebhookConfiguration" or "ValidatingWebhookConfiguration";

    public async Task<JsonObject?> GetAsync(string apiVersion, string kind, string? ns, string name, CancellationToken cancellationToken)
    {
        using var generic = For(apiVersion, kind);
        try
        {
            var o = ns is null || IsClusterScoped(kind)
                ? await generic.ReadAsync<LiveObject>(name, cancellationToken).ConfigureAwait(false)
                : await generic.ReadNamespacedAsync<LiveObject>(ns, name, cancellationToken).ConfigureAwait(false);
            return o.ToJson();
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<JsonObject>> ListAsync(string apiVersion, string kind, CancellationToken cancellationToken)
    {
        using var generic = For(apiVersion, kind);
        try
        {
            var list = await generic.ListAsync<LiveObject>(cancel: cancellationToken).ConfigureAwait(false);
            return list.ToJson()["items"] is JsonArray items ? items.OfType<JsonObject>().Select(i => WithKind(i, apiVersion, kind)).ToList() : [];
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return [];
        }
    }

    public async Task CreateAsync(JsonObject obj, CancellationToken cancellationToken)
    {
        var (apiVersion, kind, ns, _) = Identity(obj);
        using var generic = For(apiVersion, kind);
        var live = LiveObject.From(obj);
        _ = ns is null || IsClusterScoped(kind)
            ? await generic.CreateAsync(live, cancellationToken).ConfigureAwait(false)
            : await generic.CreateNamespacedAsync(live, ns, cancellationToken).ConfigureAwait(false);
    }

    public async Task ReplaceAsync(JsonObject obj, CancellationToken cancellationToken)
    {
        var (apiVersion, kind, ns, name) = Identity(obj);
        using var generic = For(apiVersion, kind);
        var live = LiveObject.From(obj);
        _ = ns is null || IsClusterScoped(kind)
            ? await generic.ReplaceAsync(live, name, cancellationToken).ConfigureAwait(false)
            : await generic.ReplaceNamespacedAsync(live, ns, name, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A JSON merge patch (RFC 7386) of a namespaced object.</summary>
    public async Task MergePatchAsync(string apiVersion, string kind, string ns, string name, JsonObject patch, CancellationToken cancellationToken)
    {
        using var generic = For(apiVersion, kind);
        _ = await generic.PatchNamespacedAsync<LiveObject>(new k8s.Models.V1Patch(patch.ToJsonString(), k8s.Models.V1Patch.PatchType.MergePatch), ns, name, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes the object; false when it was already gone.</summary>
    public async Task<bool> DeleteAsync(string apiVersion, string kind, string? ns, string name, CancellationToken cancellationToken)
    {
        using var generic = For(apiVersion, kind);
        try
        {
            _ = ns is null || IsClusterScoped(kind)
                ? await generic.DeleteAsync<LiveObject>(name, cancellationToken).ConfigureAwait(false)
                : await generic.DeleteNamespacedAsync<LiveObject>(ns, name, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    private static JsonObject WithKind(JsonObject item, string apiVersion, string kind)
    {
        // List items carry no apiVersion/kind on the wire (apimachinery drops them for lists).
        item["apiVersion"] ??= apiVersion;
        item["kind"] ??= kind;
        return item;
    }

    private static (string ApiVersion, string Kind, string? Namespace, string Name) Identity(JsonObject obj) =>
        ((string?)obj["apiVersion"] ?? string.Empty, (string?)obj["kind"] ?? string.Empty, (string?)obj["metadata"]?["namespace"], (string?)obj["metadata"]?["name"] ?? string.Empty);

    private GenericClient For(string apiVersion, string kind)
    {
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var group = slash < 0 ? string.Empty : apiVersion[..slash];
        var version = slash < 0 ? apiVersion : apiVersion[(slash + 1)..];
        return new GenericClient(client, group, version, Plural(kind), disposeClient: false);
    }
}
