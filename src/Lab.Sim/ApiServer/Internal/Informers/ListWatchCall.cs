using System.Runtime.CompilerServices;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;
using OtelLab.Model.Manifests;
using OtelLab.Sim.ArgoCd.Internal;
using OtelLab.Sim.Cluster;
using WatchEventType = k8s.WatchEventType;

namespace OtelLab.Sim.ApiServer.Internal.Informers;

/// <summary>One object as an informer holds it: its metadata and the model the in-process store holds for its kind.</summary>
internal sealed record InformedObject(V1ObjectMeta Metadata, object Value);

/// <summary>The options of one list or watch request (client-go's ListOptions, the fields a reflector sets).</summary>
internal sealed record ListWatchOptions(string? Namespace, string? LabelSelector, string? ResourceVersion, bool Watch, int? TimeoutSeconds);

/// <summary>
/// The list and watch requests of one kind through KubernetesClient's generated operations (client-go's ListWatch):
/// typed models for built-in kinds, the CustomObjects API for custom resources, decoded into the models the store
/// holds so a component sees the same objects in either mode.
/// </summary>
// The list-with-watch=true form (WatcherExt.WatchAsync) is marked for deprecation in favour of the per-kind WatchList*
// methods, which send the same request; it is kept because one generic informer then serves every kind.
#pragma warning disable CS0618
internal abstract class ListWatchCall
{
    public abstract Task<(IReadOnlyList<InformedObject> Items, string ResourceVersion)> ListAsync(IKubernetes client, ListWatchOptions options, CancellationToken cancellationToken);

    public abstract IAsyncEnumerable<(WatchEventType Type, InformedObject Object)> WatchAsync(IKubernetes client, ListWatchOptions options, Action<Exception> onError, CancellationToken cancellationToken);

    public static ListWatchCall For(ResourceKind kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        return kind.Kind switch
        {
            "Pod" => new Typed<V1Pod, V1PodList>((c, o, t) => o.Namespace is null
                ? c.CoreV1.ListPodForAllNamespacesWithHttpMessagesAsync(allowWatchBookmarks: Bookmarks(o), labelSelector: o.LabelSelector, resourceVersion: o.ResourceVersion, timeoutSeconds: o.TimeoutSeconds, watch: Watch(o), cancellationToken: t)
                : c.CoreV1.ListNamespacedPodWithHttpMessagesAsync(o.Namespace, allowWatchBookmarks: Bookmarks(o), labelSelector: o.LabelSelector, resourceVersion: o.ResourceVersion, timeoutSeconds: o.TimeoutSeconds, watch: Watch(o), cancellationToken: t)),
            "Service" => new Typed<V1Service, V1ServiceList>((c, o, t) => o.Namespace is null
                ? c.CoreV1.ListServiceForAllNamespacesWithHttpMessagesAsync(allowWatchBookmarks: Bookmarks(o), labelSelector: o.LabelSelector, resourceVersion: o.ResourceVersion, timeoutSeconds: o.TimeoutSeconds, watch: Watch(o), cancellationToken: t)
                : c.CoreV1.ListNamespacedServiceWithHttpMessagesAsync(o.Namespace, allowWatchBookmarks: Bookmarks(o), labelSelector: o.LabelSelector, resourceVersion: o.ResourceVersion, timeoutSeconds: o.TimeoutSeconds, watch: Watch(o), cancellationToken: t)),
            "Endpoints" => new Typed<V1Endpoints, V1EndpointsList>((c, o, t) => o.Namespace is null
                ? c.CoreV1.ListEndpointsForAllNamespacesWithHttpMessagesAsync(allowWatchBookmarks: Bookmarks(o), labelSelector: o.LabelSelector, resourceVersion: o.ResourceVersion, timeoutSeconds: o.TimeoutSeconds, watch: Watch(o), cancellationToken: t)
                : c.CoreV1.ListNamespacedEndpointsWithHttpMessagesAsync(o.Namespace, allowWatchBookmarks: Bookmarks(o), labelSelector: o.LabelSelector, resourceVersion: o.ResourceVersion, timeoutSeconds: o.TimeoutSeconds, watch: Watch(o), cancellationToken: t)),
            "EndpointSlice" => new Typed<V1EndpointSlice, V1EndpointSliceList>((c, o, t) => o.Namespace is null
                ? c.DiscoveryV1.ListEndpointSliceForAllNamespacesWithHttpMessagesAsync(allowWatchBookmarks: Bookmarks(o), labelSelector: o.LabelSelector, resourceVersion: o.ResourceVersion, timeoutSeconds: o.TimeoutSeconds, watch: Watch(o), cancellationToken: t)
                : c.DiscoveryV1.ListNamespacedEndpointSliceWithHttpMessagesAsync(o.Namespace, allowWatchBookmarks: Bookmarks(o), labelSelector: o.LabelSelector, resourceVersion: o.ResourceVersion, timeoutSeconds: o.TimeoutSeconds, watch: Watch(o), cancellationToken: t)),
            "Node" => new Typed<V1Node, V1NodeList>((c, o, t) =>
                c.CoreV1.ListNodeWithHttpMessagesAsync(allowWatchBookmarks: Bookmarks(o), labelSelector: o.LabelSelector, resourceVersion: o.ResourceVersion, timeoutSeconds: o.TimeoutSeconds, watch: Watch(o), cancellationToken: t)),
            "ReplicaSet" => new Typed<V1ReplicaSet, V1ReplicaSetList>((c, o, t) => o.Namespace is null
                ? c.AppsV1.ListReplicaSetForAllNamespacesWithHttpMessagesAsync(allowWatchBookmarks: Bookmarks(o), labelSelector: o.LabelSelector, resourceVersion: o.ResourceVersion, timeoutSeconds: o.TimeoutSeconds, watch: Watch(o), cancellationToken: t)
                : c.AppsV1.ListNamespacedReplicaSetWithHttpMessagesAsync(o.Namespace, allowWatchBookmarks: Bookmarks(o), labelSelector: o.LabelSelector, resourceVersion: o.ResourceVersion, timeoutSeconds: o.TimeoutSeconds, watch: Watch(o), cancellationToken: t)),
            "ConfigMap" => new Typed<V1ConfigMap, V1ConfigMapList>((c, o, t) => o.Namespace is null
                ? c.CoreV1.ListConfigMapForAllNamespacesWithHttpMessagesAsync(allowWatchBookmarks: Bookmarks(o), labelSelector: o.LabelSelector, resourceVersion: o.ResourceVersion, timeoutSeconds: o.TimeoutSeconds, watch: Watch(o), cancellationToken: t)
                : c.CoreV1.ListNamespacedConfigMapWithHttpMessagesAsync(o.Namespace, allowWatchBookmarks: Bookmarks(o), labelSelector: o.LabelSelector, resourceVersion: o.ResourceVersion, timeoutSeconds: o.TimeoutSeconds, watch: Watch(o), cancellationToken: t)),
            "ServiceAccount" => new Typed<V1ServiceAccount, V1ServiceAccountList>((c, o, t) => o.Namespace is null
                ? c.CoreV1.ListServiceAccountForAllNamespacesWithHttpMessagesAsync(allowWatchBookmarks: Bookmarks(o), labelSelector: o.LabelSelector, resourceVersion: o.ResourceVersion, timeoutSeconds: o.TimeoutSeconds, watch: Watch(o), cancellationToken: t)
                : c.CoreV1.ListNamespacedServiceAccountWithHttpMessagesAsync(o.Namespace, allowWatchBookmarks: Bookmarks(o), labelSelector: o.LabelSelector, resourceVersion: o.ResourceVersion, timeoutSeconds: o.TimeoutSeconds, watch: Watch(o), cancellationToken: t)),
            "Deployment" => new Typed<V1Deployment, V1DeploymentList>((c, o, t) => o.Namespace is null
                ? c.AppsV1.ListDeploymentForAllNamespacesWithHttpMessagesAsync(allowWatchBookmarks: Bookmarks(o), labelSelector: o.LabelSelector, resourceVersion: o.ResourceVersion, timeoutSeconds: o.TimeoutSeconds, watch: Watch(o), cancellationToken: t)
                : c.AppsV1.ListNamespacedDeploymentWithHttpMessagesAsync(o.Namespace, allowWatchBookmarks: Bookmarks(o), labelSelector: o.LabelSelector, resourceVersion: o.ResourceVersion, timeoutSeconds: o.TimeoutSeconds, watch: Watch(o), cancellationToken: t)),
            "StatefulSet" => new Typed<V1StatefulSet, V1StatefulSetList>((c, o, t) => o.Namespace is null
                ? c.AppsV1.ListStatefulSetForAllNamespacesWithHttpMessagesAsync(allowWatchBookmarks: Bookmarks(o), labelSelector: o.LabelSelector, resourceVersion: o.ResourceVersion, timeoutSeconds: o.TimeoutSeconds, watch: Watch(o), cancellationToken: t)
                : c.AppsV1.ListNamespacedStatefulSetWithHttpMessagesAsync(o.Namespace, allowWatchBookmarks: Bookmarks(o), labelSelector: o.LabelSelector, resourceVersion: o.ResourceVersion, timeoutSeconds: o.TimeoutSeconds, watch: Watch(o), cancellationToken: t)),
            "DaemonSet" => new Typed<V1DaemonSet, V1DaemonSetList>((c, o, t) => o.Namespace is null
                ? c.AppsV1.ListDaemonSetForAllNamespacesWithHttpMessagesAsync(allowWatchBookmarks: Bookmarks(o), labelSelector: o.LabelSelector, resourceVersion: o.ResourceVersion, timeoutSeconds: o.TimeoutSeconds, watch: Watch(o), cancellationToken: t)
                : c.AppsV1.ListNamespacedDaemonSetWithHttpMessagesAsync(o.Namespace, allowWatchBookmarks: Bookmarks(o), labelSelector: o.LabelSelector, resourceVersion: o.ResourceVersion, timeoutSeconds: o.TimeoutSeconds, watch: Watch(o), cancellationToken: t)),
            _ when kind.IsCustom => new Custom(kind),
            _ => throw new NotSupportedException($"no wire list/watch for kind {kind.Kind}: add its KubernetesClient operations to {nameof(ListWatchCall)}"),
        };
    }

    // client-go reflector.go: the watch asks for bookmarks; a list does not.
    private static bool? Bookmarks(ListWatchOptions o) => o.Watch ? true : null;

    private static bool? Watch(ListWatchOptions o) => o.Watch ? true : null;

    private sealed class Typed<T, TList>(Func<IKubernetes, ListWatchOptions, CancellationToken, Task<HttpOperationResponse<TList>>> call) : ListWatchCall
        where T : IKubernetesObject<V1ObjectMeta>
        where TList : IItems<T>, IMetadata<V1ListMeta>
    {
        public override async Task<(IReadOnlyList<InformedObject>, string)> ListAsync(IKubernetes client, ListWatchOptions options, CancellationToken cancellationToken)
        {
            using var response = await call(client, options with { Watch = false }, cancellationToken).ConfigureAwait(false);
            var body = response.Body;
            return ([.. body.Items.Select(i => new InformedObject(i.Metadata, i))], body.Metadata?.ResourceVersion ?? string.Empty);
        }

        public override async IAsyncEnumerable<(WatchEventType, InformedObject)> WatchAsync(IKubernetes client, ListWatchOptions options, Action<Exception> onError, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await foreach (var (type, item) in call(client, options with { Watch = true }, cancellationToken).WatchAsync<T, TList>(onError, cancellationToken).ConfigureAwait(false))
            {
                yield return (type, new InformedObject(item.Metadata ?? new V1ObjectMeta(), item));
            }
        }
    }

    private sealed class Custom(ResourceKind kind) : ListWatchCall
    {
        public override async Task<(IReadOnlyList<InformedObject>, string)> ListAsync(IKubernetes client, ListWatchOptions options, CancellationToken cancellationToken)
        {
            using var response = await Call(client, options with { Watch = false }, cancellationToken).ConfigureAwait(false);
            var list = JsonSerializer.SerializeToElement(response.Body);
            var items = new List<InformedObject>();
            if (list.TryGetProperty("items", out var array))
            {
                foreach (var item in array.EnumerateArray())
                {
                    items.Add(Decode(KubernetesJson.Deserialize<LiveObject>(item.GetRawText())));
                }
            }

            var rv = list.TryGetProperty("metadata", out var meta) && meta.TryGetProperty("resourceVersion", out var v) ? v.GetString() : null;
            return (items, rv ?? string.Empty);
        }

        public override async IAsyncEnumerable<(WatchEventType, InformedObject)> WatchAsync(IKubernetes client, ListWatchOptions options, Action<Exception> onError, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await foreach (var (type, item) in Call(client, options with { Watch = true }, cancellationToken).WatchAsync<LiveObject, object>(onError, cancellationToken).ConfigureAwait(false))
            {
                yield return (type, type == WatchEventType.Bookmark ? new InformedObject(item.Metadata, item) : Decode(item));
            }
        }

        private Task<HttpOperationResponse<object>> Call(IKubernetes c, ListWatchOptions o, CancellationToken t) => o.Namespace is null
            ? c.CustomObjects.ListClusterCustomObjectWithHttpMessagesAsync(kind.Group, kind.Version, kind.Resource, allowWatchBookmarks: Bookmarks(o), labelSelector: o.LabelSelector, resourceVersion: o.ResourceVersion, timeoutSeconds: o.TimeoutSeconds, watch: Watch(o), cancellationToken: t)
            : c.CustomObjects.ListNamespacedCustomObjectWithHttpMessagesAsync(kind.Group, kind.Version, o.Namespace, kind.Resource, allowWatchBookmarks: Bookmarks(o), labelSelector: o.LabelSelector, resourceVersion: o.ResourceVersion, timeoutSeconds: o.TimeoutSeconds, watch: Watch(o), cancellationToken: t);

        // A custom resource decodes as the API server decodes a request body: the manifest loader's model for the kind.
        private InformedObject Decode(LiveObject item)
        {
            item.ApiVersion = string.IsNullOrEmpty(item.ApiVersion) ? kind.ApiVersion : item.ApiVersion;
            item.Kind = string.IsNullOrEmpty(item.Kind) ? kind.Kind : item.Kind;
            var set = ManifestLoader.LoadText($"{kind.Kind} {item.Metadata.NamespaceProperty}/{item.Metadata.Name}", item.ToJson().ToJsonString(), item.Metadata.NamespaceProperty ?? "default");
            if (set.Objects is not [{ Typed: { } typed }])
            {
                throw new InvalidOperationException($"{kind.Kind} {item.Metadata.NamespaceProperty}/{item.Metadata.Name} from the API server could not be decoded: {string.Join("; ", set.Errors)}");
            }

            return new InformedObject(item.Metadata, typed);
        }
    }
}
#pragma warning restore CS0618
