using System.Text.Json.Nodes;

namespace OtelLab.Sim.ApiServer.Internal;

/// <summary>
/// The discovery documents kubectl reads first: aggregated (<c>APIGroupDiscoveryList</c>, v2 and v2beta1) or legacy
/// (<c>APIVersions</c>, <c>APIGroupList</c>, <c>APIResourceList</c>), chosen by the request's Accept header.
/// upstream: apiserver pkg/endpoints/discovery/aggregated/handler.go (aggregated), pkg/endpoints/discovery/{legacy,root,version}.go.
/// </summary>
internal sealed class DiscoveryDocument(IReadOnlyList<ServedResource> resources, string serverAddress)
{
    private const string AggregatedV2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
    private const string AggregatedV2Beta1 = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList";

    /// <summary>Groups in the order the API server lists them: the core group alone on /api, then named groups.</summary>
    private IEnumerable<IGrouping<string, ServedResource>> Groups => resources.GroupBy(r => r.Kind.Group);

    /// <summary>
    /// Picks the discovery format from Accept: the first aggregated form the client lists, else legacy. Content-Type
    /// of the reply tells client-go which parse to use (client-go discovery/discovery_client.go ContentTypeIsGVK).
    /// </summary>
    public static string? AggregatedContentType(string? accept)
    {
        foreach (var part in (accept ?? string.Empty).Split(','))
        {
            var media = part.Replace(" ", string.Empty, StringComparison.Ordinal);
            if (!media.Contains("as=APIGroupDiscoveryList", StringComparison.Ordinal) || !media.Contains("g=apidiscovery.k8s.io", StringComparison.Ordinal))
            {
                continue;
            }

            if (media.Contains("v=v2beta1", StringComparison.Ordinal))
            {
                return AggregatedV2Beta1;
            }

            if (media.Contains("v=v2", StringComparison.Ordinal))
            {
                return AggregatedV2;
            }
        }

        return null;
    }

    public JsonObject Aggregated(bool core, string contentType)
    {
        var items = new JsonArray();
        foreach (var group in Groups.Where(g => (g.Key.Length == 0) == core))
        {
            var versions = new JsonArray();
            foreach (var version in group.GroupBy(r => r.Kind.Version).OrderByDescending(v => VersionPriority(v.Key)))
            {
                versions.Add(new JsonObject
                {
                    ["version"] = version.Key,
                    ["resources"] = new JsonArray([.. version.Select(AggregatedResource)]),
                    ["freshness"] = "Current",
                });
            }

            items.Add(new JsonObject { ["metadata"] = new JsonObject { ["name"] = group.Key }, ["versions"] = versions });
        }

        return new JsonObject
        {
            ["kind"] = "APIGroupDiscoveryList",
            ["apiVersion"] = contentType == AggregatedV2Beta1 ? "apidiscovery.k8s.io/v2beta1" : "apidiscovery.k8s.io/v2",
            ["metadata"] = new JsonObject(),
            ["items"] = items,
        };
    }

    /// <summary>Legacy <c>/api</c>: the core versions and where clients reach the server.</summary>
    public JsonObject ApiVersions() => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    /// <summary>Legacy <c>/apis</c>: named groups with their versions, preferred first.</summary>
    public JsonObject GroupList()
    {
        var groups = new JsonArray();
        foreach (var group in Groups.Where(g => g.Key.Length > 0))
        {
            var versions = group.Select(r => r.Kind.Version).Distinct().OrderByDescending(VersionPriority).ToList();
            groups.Add(new JsonObject
            {
                ["name"] = group.Key,
                ["versions"] = new JsonArray([.. versions.Select(v => (JsonNode)GroupVersion(group.Key, v))]),
                ["preferredVersion"] = GroupVersion(group.Key, versions[0]),
            });
        }

        return new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = groups };
    }

    /// <summary>Legacy <c>/api/v1</c> or <c>/apis/g/v</c>: the resources of one group version, subresources as <c>name/sub</c>; null when not served.</summary>
    public JsonObject? ResourceList(string group, string version)
    {
        var served = resources.Where(r => r.Kind.Group == group && r.Kind.Version == version).ToList();
        if (served.Count == 0)
        {
            return null;
        }

        var list = new JsonArray();
        foreach (var r in served)
        {
            list.Add(new JsonObject
            {
                ["name"] = r.Kind.Resource,
                ["singularName"] = r.Singular,
                ["namespaced"] = r.Kind.Namespaced,
                ["kind"] = r.Kind.Kind,
                ["verbs"] = Strings(ServedResource.Verbs),
                ["shortNames"] = Strings(r.ShortNames),
                ["categories"] = Strings(r.Categories),
            });
            list.Add(new JsonObject
            {
                ["name"] = r.Kind.Resource + "/status",
                ["singularName"] = string.Empty,
                ["namespaced"] = r.Kind.Namespaced,
                ["kind"] = r.Kind.Kind,
                ["verbs"] = Strings(["get", "patch", "update"]),
            });
            if (r.Scale)
            {
                // upstream: kubectl scale needs <res>/scale as autoscaling/v1 Scale (client-go scale/util.go ScaleForResource).
                list.Add(new JsonObject
                {
                    ["name"] = r.Kind.Resource + "/scale",
                    ["singularName"] = string.Empty,
                    ["namespaced"] = r.Kind.Namespaced,
                    ["group"] = "autoscaling",
                    ["version"] = "v1",
                    ["kind"] = "Scale",
                    ["verbs"] = Strings(["get", "patch", "update"]),
                });
            }
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = list,
        };
    }

    private static JsonObject AggregatedResource(ServedResource r)
    {
        var subresources = new JsonArray(new JsonObject
        {
            ["subresource"] = "status",
            ["responseKind"] = Gvk(r.Kind.Group, r.Kind.Version, r.Kind.Kind),
            ["verbs"] = Strings(["get", "patch", "update"]),
        });
        if (r.Scale)
        {
            subresources.Add(new JsonObject
            {
                ["subresource"] = "scale",
                ["responseKind"] = Gvk("autoscaling", "v1", "Scale"),
                ["verbs"] = Strings(["get", "patch", "update"]),
            });
        }

        var o = new JsonObject
        {
            ["resource"] = r.Kind.Resource,
            ["responseKind"] = Gvk(r.Kind.Group, r.Kind.Version, r.Kind.Kind),
            ["scope"] = r.Kind.Namespaced ? "Namespaced" : "Cluster",
            ["singularResource"] = r.Singular,
            ["verbs"] = Strings(ServedResource.Verbs),
        };
        if (r.ShortNames.Count > 0)
        {
            o["shortNames"] = Strings(r.ShortNames);
        }

        if (r.Categories.Count > 0)
        {
            o["categories"] = Strings(r.Categories);
        }

        o["subresources"] = subresources;
        return o;
    }

    private static JsonObject Gvk(string group, string version, string kind) =>
        new() { ["group"] = group, ["version"] = version, ["kind"] = kind };

    private static JsonObject GroupVersion(string group, string version) =>
        new() { ["groupVersion"] = $"{group}/{version}", ["version"] = version };

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)v)]);

    // upstream: apimachinery pkg/version/helpers.go CompareKubeAwareVersionStrings — GA > beta > alpha.
    private static int VersionPriority(string version) =>
        version.Contains("alpha", StringComparison.Ordinal) ? 0 : version.Contains("beta", StringComparison.Ordinal) ? 1 : 2;
}
