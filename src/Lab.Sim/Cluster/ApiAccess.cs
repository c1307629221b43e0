using k8s.Models;
using OtelLab.Model;
using OtelLab.Model.Manifests;
using OtelLab.Model.Rbac;
using YamlDotNet.RepresentationModel;

namespace OtelLab.Sim.Cluster;

/// <summary>
/// The API as an emulated component (TA, k8sattributes) sees it when running as a ServiceAccount: every list and
/// watch is authorised by RBAC over the cluster's current Roles, ClusterRoles and bindings
/// (<see cref="RbacEvaluator"/>), and a refusal carries the API server's exact message.
/// upstream: kubernetes staging/src/k8s.io/apiserver/pkg/endpoints/handlers/responsewriters/errors.go (forbiddenMessage).
/// </summary>
public sealed class ApiAccess(SimulatedCluster cluster, RbacSubject subject) : IClusterReader
{
    private static readonly string[] RbacKinds = ["ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"];

    public RbacSubject Subject => subject;

    /// <summary>Lists objects of <paramref name="kind"/> (all namespaces when <paramref name="ns"/> is null) if RBAC allows <c>list</c>.</summary>
    public Task<IReadOnlyList<object>> ListAsync(string kind, string? ns = null, LabelSelector? selector = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var k = ResourceKind.Of(kind);
        Authorize("list", k, ns);
        return Task.FromResult(cluster.List(k, ns, selector));
    }

    public async Task<IReadOnlyList<T>> ListAsync<T>(string? ns = null, LabelSelector? selector = null, CancellationToken cancellationToken = default)
        where T : class =>
        (await ListAsync(ResourceKind.Of(typeof(T)).Kind, ns, selector, cancellationToken).ConfigureAwait(false)).Cast<T>().ToList();

    /// <summary>Watches <paramref name="kind"/> if RBAC allows <c>watch</c> (checked before the stream starts).</summary>
    public IAsyncEnumerable<WatchEvent> Watch(string kind, string? ns = null, bool sendInitialEvents = true, CancellationToken cancellationToken = default)
    {
        var k = ResourceKind.Of(kind);
        Authorize("watch", k, ns);
        var events = cluster.WatchAsync([kind], sendInitialEvents, cancellationToken);
        return ns is null ? events : Filter(events, ns, cancellationToken);
    }

    /// <summary>Calls <paramref name="changed"/> on the thread pool after each batch of changes that touches <paramref name="kinds"/> (the batch is raised under the cluster's lock).</summary>
    public IDisposable OnChanged(IReadOnlyCollection<string> kinds, string? ns, Action changed)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        ArgumentNullException.ThrowIfNull(changed);
        var wanted = new HashSet<string>(kinds, StringComparer.Ordinal);
        void Handler(IReadOnlyList<WatchEvent> events)
        {
            if (events.Any(e => wanted.Contains(e.Kind.Kind) && (ns is null || e.Namespace == ns)))
            {
                _ = Task.Run(changed);
            }
        }

        cluster.Changed += Handler;
        return new Subscription(() => cluster.Changed -= Handler);
    }

    public k8s.Models.V1ObjectMeta? MetadataOf(string kind, string? ns, string name) => cluster.MetadataOf(kind, ns, name);

    /// <summary>Nothing to release: the store is read in place.</summary>
    public void Dispose()
    {
    }

    /// <summary>Throws <see cref="ClusterApiException"/> (403) with the API server's message unless RBAC allows the request.</summary>
    public void Authorize(string verb, ResourceKind kind, string? ns)
    {
        ArgumentNullException.ThrowIfNull(kind);
        var scope = kind.Namespaced ? ns : null;
        var evaluator = new RbacEvaluator(RbacSnapshot());
        if (evaluator.IsAllowed(subject, new RbacRequest(verb, kind.Group, kind.Resource, scope)))
        {
            return;
        }

        var where = scope is null ? "at the cluster scope" : $"in the namespace \"{scope}\"";
        throw ClusterApiException.Forbidden(
            $"{kind.QualifiedResource} is forbidden: User \"{subject}\" cannot {verb} resource \"{kind.Resource}\" in API group \"{kind.Group}\" {where}");
    }

    /// <summary>
    /// The RBAC check of a subresource request (<c>pods/log</c>, <c>pods/exec</c>): the rule must name
    /// <c>resource/subresource</c>; the refusal names the object as the API server's does.
    /// </summary>
    public void AuthorizeSubresource(string verb, ResourceKind kind, string subresource, string name, string? ns)
    {
        ArgumentNullException.ThrowIfNull(kind);
        var scope = kind.Namespaced ? ns : null;
        var resource = $"{kind.Resource}/{subresource}";
        if (new RbacEvaluator(RbacSnapshot()).IsAllowed(subject, new RbacRequest(verb, kind.Group, resource, scope)))
        {
            return;
        }

        var where = scope is null ? "at the cluster scope" : $"in the namespace \"{scope}\"";
        throw ClusterApiException.Forbidden(
            $"{kind.QualifiedResource} \"{name}\" is forbidden: User \"{subject}\" cannot {verb} resource \"{resource}\" in API group \"{kind.Group}\" {where}");
    }

    private static async IAsyncEnumerable<WatchEvent> Filter(IAsyncEnumerable<WatchEvent> events, string ns, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var e in events.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (e.Namespace == ns)
            {
                yield return e;
            }
        }
    }

    // RbacEvaluator reads roles and bindings from a ManifestSet: present the cluster's current ones as one.
    private ManifestSet RbacSnapshot()
    {
        var objects = new List<ManifestObject>();
        foreach (var kindName in RbacKinds)
        {
            var kind = ResourceKind.Of(kindName);
            foreach (var o in cluster.List(kind))
            {
                var meta = ((IMetadata<V1ObjectMeta>)o).Metadata;
                objects.Add(new ManifestObject
                {
                    ApiVersion = kind.ApiVersion,
                    Kind = kind.Kind,
                    Name = meta.Name,
                    Namespace = meta.NamespaceProperty,
                    Location = new SourceLocation($"cluster:{kind.Kind}/{meta.Name}", 0, 0),
                    Root = new YamlMappingNode(),
                    Typed = o,
                });
            }
        }

        return new ManifestSet { Objects = objects, Errors = [], Files = [] };
    }

    private sealed class Subscription(Action stop) : IDisposable
    {
        private Action? _stop = stop;

        public void Dispose() => Interlocked.Exchange(ref _stop, null)?.Invoke();
    }
}
