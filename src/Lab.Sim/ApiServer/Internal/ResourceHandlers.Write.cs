using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Http;
using OtelLab.Model.Manifests;
using OtelLab.Sim.Cluster;
using OtelLab.Sim.Cluster.Internal;

namespace OtelLab.Sim.ApiServer.Internal;

/// <summary>
/// Writes: create (POST), update (PUT), patch (PATCH) and delete, each through the cluster's admission and controllers.
/// upstream: apiserver pkg/endpoints/handlers/{create,update,patch,delete}.go.
/// </summary>
internal sealed partial class ResourceHandlers
{
    private async Task CreateAsync(HttpContext context, ResourceKind kind, string? ns)
    {
        var body = ToStorage(context, kind, await ReadBodyAsync(context).ConfigureAwait(false));
        AdmitCustom(context, kind, ns, body);
        TrackUpdate(context, kind, null, body);
        var (value, meta) = Decode(kind, body, ns);
        var created = cluster.Create(kind, value, meta);
        Remember(kind, created, body);
        var stored = StoredOf(kind, created, meta);
        await WriteWithWarningsAsync(context, ObjectJson.Render(stored, cluster), 201).ConfigureAwait(false);
    }

    private async Task ReplaceAsync(HttpContext context, ResourceKind kind, string? ns, string name)
    {
        var existing = cluster.GetStored(kind, ns, name);
        if (existing is null)
        {
            await WriteStatusAsync(context, NotFound(kind, name)).ConfigureAwait(false);
            return;
        }

        var body = ToStorage(context, kind, await ReadBodyAsync(context).ConfigureAwait(false));
        var rv = (string?)body["metadata"]?["resourceVersion"];
        if (!string.IsNullOrEmpty(rv) && rv != existing.Metadata.ResourceVersion)
        {
            // upstream: apiserver storage — a stale resourceVersion on update is a 409 Conflict (errors.go NewConflict).
            await WriteStatusAsync(context, StatusResponse.Failure(409, "Conflict",
                $"Operation cannot be fulfilled on {kind.QualifiedResource} \"{name}\": the object has been modified; please apply your changes to the latest version and try again",
                name, kind.Group, kind.Resource)).ConfigureAwait(false);
            return;
        }

        AdmitCustom(context, kind, ns, body);
        TrackUpdate(context, kind, ObjectJson.Render(existing, cluster), body);
        var (value, meta) = Decode(kind, body, ns);
        var updated = cluster.Update(kind, kind.IsCustom ? value : ObjectModel.CarryServerFields(value, existing.Value), meta);
        Remember(kind, updated, body);
        await WriteWithWarningsAsync(context, ObjectJson.Render(StoredOf(kind, updated, meta), cluster), 200).ConfigureAwait(false);
    }

    private async Task PatchAsync(HttpContext context, ResourceKind kind, string? ns, string name)
    {
        if (IsApply(context.Request))
        {
            await ApplyAsync(context, kind, ns, name).ConfigureAwait(false);
            return;
        }

        var existing = cluster.GetStored(kind, ns, name);
        if (existing is null)
        {
            await WriteStatusAsync(context, NotFound(kind, name)).ConfigureAwait(false);
            return;
        }

        var contentType = context.Request.ContentType ?? string.Empty;
        var patch = await ReadBodyNodeAsync(context).ConfigureAwait(false);
        var live = ObjectJson.Render(existing, cluster);

        // Through a served version the patch applies to the object in that version (converted back afterwards).
        var seen = AsServed(context, live);
        JsonNode? patched = contentType switch
        {
            _ when contentType.StartsWith("application/json-patch+json", StringComparison.Ordinal) && patch is JsonArray ops => JsonPatch.Apply(seen, ops),
            _ when contentType.StartsWith("application/merge-patch+json", StringComparison.Ordinal) => JsonPatch.Merge(seen, patch, strategic: false),
            // upstream: apiserver handlers/patch.go — custom resources do not support strategic merge patch (415).
            _ when contentType.StartsWith("application/strategic-merge-patch+json", StringComparison.Ordinal) && !kind.IsCustom => JsonPatch.Merge(live, patch, strategic: true),
            _ => null,
        };
        if (patched is not JsonObject patchedObject)
        {
            await WriteStatusAsync(context, StatusResponse.Failure(415, "UnsupportedMediaType",
                $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json{(kind.IsCustom ? string.Empty : ", application/strategic-merge-patch+json")}")).ConfigureAwait(false);
            return;
        }

        var result = ToStorage(context, kind, patchedObject);
        if (JsonNode.DeepEquals(result, live))
        {
            // upstream: a patch that changes nothing writes nothing (the resourceVersion stays; registry/store.go GuaranteedUpdate).
            await WriteJsonAsync(context, live).ConfigureAwait(false);
            return;
        }

        result["metadata"]!["resourceVersion"] = null;
        AdmitCustom(context, kind, ns, result);
        TrackUpdate(context, kind, live, result);
        var (value, meta) = Decode(kind, result, ns);
        var updated = cluster.Update(kind, value, meta);
        Remember(kind, updated, result);
        await WriteWithWarningsAsync(context, ObjectJson.Render(StoredOf(kind, updated, meta), cluster), 200).ConfigureAwait(false);
    }

    private void Remember(ResourceKind kind, object stored, JsonObject document)
    {
        if (kind.IsCustom)
        {
            // A controller may have written the status while the write was being handled (the operator reconciles a
            // new collector in the same pass): a body without status keeps it.
            if (document["status"] is null && cluster.DocumentOf(stored)?["status"] is JsonObject written)
            {
                document["status"] = written.DeepClone();
            }

            cluster.RememberDocument(stored, document);
        }
    }

    private async Task DeleteAsync(HttpContext context, ResourceKind kind, string? ns, string name)
    {
        var existing = cluster.GetStored(kind, ns, name);
        if (existing is null || !cluster.Delete(kind.Kind, ns, name, await PropagationAsync(context).ConfigureAwait(false)))
        {
            await WriteStatusAsync(context, NotFound(kind, name)).ConfigureAwait(false);
            return;
        }

        // upstream: registry/store.go finalizeDelete — with no finalizers the reply is the deleted object; with
        // finalizers, the object as it stays (deletionTimestamp set).
        await WriteJsonAsync(context, ObjectJson.Render(cluster.GetStored(kind, ns, name) ?? existing, cluster)).ConfigureAwait(false);
    }

    private StoredObject StoredOf(ResourceKind kind, object value, V1ObjectMeta? meta)
    {
        var m = ObjectModel.MetadataOf(value) ?? meta;
        return (m is null ? null : cluster.GetStored(kind, m.NamespaceProperty, m.Name))
            ?? new StoredObject { Kind = kind, Metadata = m ?? new V1ObjectMeta(), Value = value };
    }

    /// <summary>
    /// The request body as the store's model: KubernetesClient's deserializer for built-in kinds; for CRs, the lab's
    /// manifest loader (the same parse <c>kubectl apply -f</c> input gets), with the metadata passed separately.
    /// </summary>
    private static (object Value, V1ObjectMeta? Meta) Decode(ResourceKind kind, JsonObject body, string? ns)
    {
        var bodyKind = (string?)body["kind"];
        if (bodyKind is not null && bodyKind != kind.Kind)
        {
            throw new ClusterApiException(400, "BadRequest", $"the API version in the data ({(string?)body["apiVersion"]}) does not match the expected API version ({kind.ApiVersion})");
        }

        body["apiVersion"] ??= kind.ApiVersion;
        body["kind"] ??= kind.Kind;
        var metadata = body["metadata"] as JsonObject ?? new JsonObject();
        body["metadata"] = metadata;
        var bodyNs = (string?)metadata["namespace"];
        if (kind.Namespaced && ns is not null && bodyNs is not null && bodyNs != ns)
        {
            // upstream: apiserver handlers/rest.go — the namespace of the object must match the request's.
            throw new ClusterApiException(400, "BadRequest", "the namespace of the provided object does not match the namespace sent on the request");
        }

        if (kind.Namespaced)
        {
            metadata["namespace"] = bodyNs ?? ns ?? "default";
        }

        var json = body.ToJsonString();
        if (!kind.IsCustom)
        {
            return (ObjectModel.Deserialize(kind.Model, json), null);
        }

        var set = ManifestLoader.LoadText("request body", json, ns ?? "default");
        if (set.Errors.Count > 0 || set.Objects is not [{ Typed: { } typed }])
        {
            var why = set.Errors.Count > 0 ? string.Join("; ", set.Errors.Select(e => e.ToString())) : "the object could not be decoded";
            throw new ClusterApiException(400, "BadRequest", $"{kind.Kind} in version \"{kind.Version}\" cannot be handled as a {kind.Kind}: {why}");
        }

        return (typed, KubernetesJson.Deserialize<V1ObjectMeta>(metadata.ToJsonString()));
    }

    private static async Task<JsonObject> ReadBodyAsync(HttpContext context) =>
        await ReadBodyNodeAsync(context).ConfigureAwait(false) as JsonObject
        ?? throw new ClusterApiException(400, "BadRequest", "Object 'Kind' is missing in the request body");

    private static Task<JsonNode?> ReadBodyNodeAsync(HttpContext context) => RequestBody.ReadAsync(context);

    // upstream: admission warnings travel as `Warning: 299 - "<text>"` headers (apimachinery pkg/util/net/http.go NewWarningHeader).
    private async Task WriteWithWarningsAsync(HttpContext context, JsonObject body, int status)
    {
        foreach (var w in cluster.TakeWarnings())
        {
            context.Response.Headers.Append("Warning", $"299 - \"{w.Replace("\"", "\\\"", StringComparison.Ordinal)}\"");
        }

        await WriteJsonAsync(context, body, status: status).ConfigureAwait(false);
    }
}
