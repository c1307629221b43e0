using System.IO.Hashing;
using System.Text;
using System.Text.Json.Nodes;
using OtelLab.Sim.Cluster;

namespace OtelLab.Sim.ApiServer.Internal;

/// <summary>
/// The smallest OpenAPI documents with which kubectl's <c>create -f</c>/<c>apply</c> pass validation: a v3 root
/// naming one document per group version, each with one PATCH operation per kind carrying the
/// <c>fieldValidation</c> parameter (so kubectl leaves validation to the server and sends <c>fieldValidation=Strict</c>;
/// cli-runtime pkg/resource/query_param_verifier_v3.go). OpenAPI v2 is <see cref="OpenApiV2Document"/>.
/// </summary>
/// <remarks>
/// No <c>requestBody</c> schemas: client-side apply then falls back to compiled-in types (strategic merge for
/// built-ins, JSON merge patch for CRs; kubectl pkg/cmd/apply/patcher.go patchSimple).
/// </remarks>
internal sealed class OpenApiDocument
{
    private readonly Dictionary<string, (string Json, string Hash)> _byGroupVersion = new(StringComparer.Ordinal);

    /// <param name="schemaOf">A kind's schema for <c>components.schemas</c> (custom kinds: the CRD's <c>openAPIV3Schema</c>, for <c>kubectl explain</c>), or null.</param>
    public OpenApiDocument(IReadOnlyList<ServedResource> resources, Func<ResourceKind, JsonObject?>? schemaOf = null)
    {
        foreach (var gv in resources.GroupBy(r => r.Kind.Group.Length == 0 ? $"api/{r.Kind.Version}" : $"apis/{r.Kind.Group}/{r.Kind.Version}"))
        {
            var paths = new JsonObject();
            foreach (var r in gv)
            {
                var prefix = "/" + gv.Key + (r.Kind.Namespaced ? "/namespaces/{namespace}/" : "/");
                paths[$"{prefix}{r.Kind.Resource}/{{name}}"] = new JsonObject
                {
                    ["patch"] = new JsonObject
                    {
                        ["x-kubernetes-group-version-kind"] = new JsonObject { ["group"] = r.Kind.Group, ["version"] = r.Kind.Version, ["kind"] = r.Kind.Kind },
                        ["parameters"] = new JsonArray(new JsonObject { ["name"] = "fieldValidation", ["in"] = "query" }),
                    },
                };
            }

            var document = new JsonObject
            {
                ["openapi"] = "3.0.0",
                ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.32.0" },
                ["paths"] = paths,
            };
            var schemas = new JsonObject();
            foreach (var r in gv)
            {
                if (schemaOf?.Invoke(r.Kind) is { } schema)
                {
                    // upstream: apiextensions-apiserver pkg/controller/openapi/builder — a CRD's schema is published as
                    // <reversed group>.<version>.<Kind> with its GVK, which kubectl explain looks up.
                    schema["x-kubernetes-group-version-kind"] = new JsonArray(new JsonObject { ["group"] = r.Kind.Group, ["kind"] = r.Kind.Kind, ["version"] = r.Kind.Version });
                    schemas[$"{string.Join('.', r.Kind.Group.Split('.').Reverse())}.{r.Kind.Version}.{r.Kind.Kind}"] = schema;
                }
            }

            if (schemas.Count > 0)
            {
                document["components"] = new JsonObject { ["schemas"] = schemas };
            }

            var json = document.ToJsonString();

            // upstream: kube-openapi pkg/handler3/handler.go — the hash changes with the content, so kubectl's HTTP cache refreshes.
            var hash = Convert.ToHexString(XxHash64.Hash(Encoding.UTF8.GetBytes(json))).ToLowerInvariant();
            _byGroupVersion[gv.Key] = (json, hash);
        }
    }

    public string Root()
    {
        var paths = new JsonObject();
        foreach (var (key, doc) in _byGroupVersion.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            paths[key] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{key}?hash={doc.Hash}" };
        }

        return new JsonObject { ["paths"] = paths }.ToJsonString();
    }

    /// <summary>The document of <paramref name="groupVersion"/> (<c>api/v1</c>, <c>apis/apps/v1</c>) and its hash, or null.</summary>
    public (string Json, string Hash)? For(string groupVersion) =>
        _byGroupVersion.TryGetValue(groupVersion, out var doc) ? doc : null;
}
