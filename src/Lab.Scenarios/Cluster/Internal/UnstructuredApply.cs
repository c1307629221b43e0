using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using OtelLab.Model.Yaml;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OtelLab.Scenarios.Cluster.Internal;

/// <summary>
/// Applies objects of any API group through the generic <c>/apis/GROUP/VERSION/…/PLURAL</c> endpoints (client-go's
/// dynamic client, as kubectl apply uses it): the resource's plural and scope come from discovery — the group's API
/// resource list for built-in groups, the CustomResourceDefinitions for the others — so an OpenTelemetryCollector or a
/// ClusterRole applies like a Deployment.
/// </summary>
internal sealed class UnstructuredApply(IKubernetes client, string fieldManager)
{
    private readonly Dictionary<(string Group, string Version, string Kind), (string Plural, bool Namespaced)> _resources = [];

    /// <summary>Each YAML document of <paramref name="yaml"/> as JSON, as kubectl sends it (sigs.k8s.io/yaml typing); empty documents skipped.</summary>
    public static IReadOnlyList<JsonObject> Documents(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new ArgumentException($"line {e.Start.Line}:{e.Start.Column}: not valid YAML: {(e.InnerException ?? e).Message}", nameof(yaml), e);
        }

        return [.. stream.Documents.Select(d => YamlJson.Convert(d.RootNode)).OfType<JsonObject>()];
    }

    /// <summary>Server-side apply, else create, else replace at the live resourceVersion; returns kubectl's line for it.</summary>
    public async Task<string> ApplyAsync(JsonObject o, CancellationToken cancellationToken)
    {
        var apiVersion = o["apiVersion"]?.GetValue<string>() ?? throw new ArgumentException("an object without apiVersion");
        var kind = o["kind"]?.GetValue<string>() ?? throw new ArgumentException($"an {apiVersion} object without kind");
        var name = o["metadata"]?["name"]?.GetValue<string>() ?? throw new ArgumentException($"{kind} without metadata.name");
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var (group, version) = (apiVersion[..slash], apiVersion[(slash + 1)..]);
        var (plural, namespaced) = await ResolveAsync(group, version, kind, cancellationToken).ConfigureAwait(false);
        var ns = namespaced ? o["metadata"]?["namespace"]?.GetValue<string>() ?? "default" : null;
        var display = $"{kind.ToLowerInvariant()}.{group}/{name}";
        var objects = client.CustomObjects;
        try
        {
            var patch = new V1Patch(o.ToJsonString(), V1Patch.PatchType.ApplyPatch);
            await (ns is null
                ? objects.PatchClusterCustomObjectAsync(patch, group, version, plural, name, fieldManager: fieldManager, force: true, cancellationToken: cancellationToken)
                : objects.PatchNamespacedCustomObjectAsync(patch, group, version, ns, plural, name, fieldManager: fieldManager, force: true, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return $"{display} serverside-applied";
        }
        catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.UnsupportedMediaType or HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed)
        {
            // no server-side apply here (or, on an API server without it, no such object yet)
        }

        try
        {
            await (ns is null
                ? objects.CreateClusterCustomObjectAsync(o, group, version, plural, cancellationToken: cancellationToken)
                : objects.CreateNamespacedCustomObjectAsync(o, group, version, ns, plural, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return $"{display} created";
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            var live = await (ns is null
                ? objects.GetClusterCustomObjectAsync(group, version, plural, name, cancellationToken)
                : objects.GetNamespacedCustomObjectAsync(group, version, ns, plural, name, cancellationToken)).ConfigureAwait(false);
            var liveJson = JsonSerializer.SerializeToNode(live) as JsonObject;
            ((JsonObject)o["metadata"]!)["resourceVersion"] = liveJson?["metadata"]?["resourceVersion"]?.DeepClone();
            await (ns is null
                ? objects.ReplaceClusterCustomObjectAsync(o, group, version, plural, name, cancellationToken: cancellationToken)
                : objects.ReplaceNamespacedCustomObjectAsync(o, group, version, ns, plural, name, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return $"{display} replaced";
        }
    }

    private async Task<(string Plural, bool Namespaced)> ResolveAsync(string group, string version, string kind, CancellationToken cancellationToken)
    {
        if (_resources.TryGetValue((group, version, kind), out var known))
        {
            return known;
        }

        var builtIn = group switch
        {
            "apps" => client.AppsV1.GetAPIResourcesAsync(cancellationToken),
            "batch" => client.BatchV1.GetAPIResourcesAsync(cancellationToken),
            "rbac.authorization.k8s.io" => client.RbacAuthorizationV1.GetAPIResourcesAsync(cancellationToken),
            "networking.k8s.io" => client.NetworkingV1.GetAPIResourcesAsync(cancellationToken),
            "policy" => client.PolicyV1.GetAPIResourcesAsync(cancellationToken),
            _ => null,
        };
        if (builtIn is not null)
        {
            foreach (var r in (await builtIn.ConfigureAwait(false)).Resources.Where(r => !r.Name.Contains('/', StringComparison.Ordinal)))
            {
                _resources[(group, version, r.Kind)] = (r.Name, r.Namespaced);
            }
        }
        else
        {
            foreach (var crd in (await client.ApiextensionsV1.ListCustomResourceDefinitionAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Items
                .Where(c => c.Spec.Group == group))
            {
                foreach (var v in crd.Spec.Versions.Where(v => v.Served))
                {
                    _resources[(group, v.Name, crd.Spec.Names.Kind)] = (crd.Spec.Names.Plural, crd.Spec.Scope == "Namespaced");
                }
            }
        }

        // kubectl's words when discovery does not know the kind (the CRD is not installed)
        return _resources.TryGetValue((group, version, kind), out var found)
            ? found
            : throw new ArgumentException($"no matches for kind \"{kind}\" in version \"{group}/{version}\": the cluster serves no such resource (is its CRD installed?)");
    }
}
