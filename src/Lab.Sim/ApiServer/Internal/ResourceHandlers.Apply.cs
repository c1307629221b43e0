using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using OtelLab.Sim.ApiServer.Internal.Apply;
using OtelLab.Sim.Cluster;

namespace OtelLab.Sim.ApiServer.Internal;

/// <summary>
/// Server-side apply (<c>PATCH</c> with <c>application/apply-patch+yaml</c>, an upsert) and the managedFields every
/// other write records. upstream: apiserver pkg/endpoints/handlers/patch.go applyPatcher, fieldmanager.
/// </summary>
internal sealed partial class ResourceHandlers
{
    private const string ApplyPatchContentType = "application/apply-patch+yaml";

    private static bool IsApply(HttpRequest request) =>
        (request.ContentType ?? string.Empty).StartsWith(ApplyPatchContentType, StringComparison.Ordinal);

    private async Task ApplyAsync(HttpContext context, ResourceKind kind, string? ns, string name)
    {
        var manager = context.Request.Query["fieldManager"].ToString();
        if (manager.Length == 0)
        {
            // upstream: handlers/patch.go — "PATCH /apply requires fieldManager" (applyPatcher needs a manager).
            throw new ClusterApiException(400, "BadRequest", "fieldManager is required for apply requests");
        }

        var force = context.Request.Query["force"].ToString() is "true" or "1";
        var applied = ToStorage(context, kind, await ReadApplyBodyAsync(context).ConfigureAwait(false));
        var bodyName = (string?)applied["metadata"]?["name"];
        if (bodyName is not null && bodyName != name)
        {
            throw new ClusterApiException(400, "BadRequest", $"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        }

        var now = ManagedFieldsEntry.Timestamp(cluster.Time.GetUtcNow());
        var existing = cluster.GetStored(kind, ns ?? (kind.Namespaced ? "default" : null), name);
        if (existing is null)
        {
            // upstream: an apply to an object that does not exist creates it (patch.go applyPatcher with create-on-update).
            var created = (JsonObject)applied.DeepClone();
            var meta = created["metadata"] as JsonObject ?? new JsonObject();
            created["metadata"] = meta;
            meta["name"] = name;
            var fresh = new JsonObject { ["metadata"] = new JsonObject() };
            ManagedFieldsEntry.Write(created, ServerSideApply.Apply(fresh, applied, manager, force, kind.ApiVersion, now) is { } withFields
                ? ManagedFieldsEntry.Read(withFields)
                : []);
            AdmitCustom(context, kind, ns, created);
            var (value, decodedMeta) = Decode(kind, created, ns);
            var stored = cluster.Create(kind, value, decodedMeta);
            Remember(kind, stored, created);
            await WriteWithWarningsAsync(context, ObjectJson.Render(StoredOf(kind, stored, decodedMeta), cluster), 201).ConfigureAwait(false);
            return;
        }

        var live = ObjectJson.Render(existing, cluster);
        var result = ServerSideApply.Apply(live, applied, manager, force, kind.ApiVersion, now);
        if (JsonNode.DeepEquals(result, live))
        {
            // Nothing changed, not even ownership: nothing is written and the resourceVersion stays.
            await WriteJsonAsync(context, live).ConfigureAwait(false);
            return;
        }

        result["metadata"]!["resourceVersion"] = null;
        AdmitCustom(context, kind, ns, result);
        var (updatedValue, updatedMeta) = Decode(kind, result, ns);
        var updated = cluster.Update(kind, updatedValue, updatedMeta);
        Remember(kind, updated, result);
        await WriteWithWarningsAsync(context, ObjectJson.Render(StoredOf(kind, updated, updatedMeta), cluster), 200).ConfigureAwait(false);
    }

    /// <summary>Records the Update a create, update or patch makes in the body's managedFields.</summary>
    private void TrackUpdate(HttpContext context, ResourceKind kind, JsonObject? old, JsonObject body)
    {
        var manager = context.Request.Query["fieldManager"].ToString();
        if (manager.Length == 0)
        {
            // upstream: fieldmanager — without fieldManager the manager is the User-Agent up to its first "/".
            manager = context.Request.Headers.UserAgent.ToString().Split('/')[0];
        }

        ServerSideApply.Update(old, body, manager.Length == 0 ? "unknown" : manager, kind.ApiVersion, ManagedFieldsEntry.Timestamp(cluster.Time.GetUtcNow()));
    }

    /// <summary>An apply body: JSON (what kubectl sends) or YAML.</summary>
    private static async Task<JsonObject> ReadApplyBodyAsync(HttpContext context) =>
        await RequestBody.ReadAsync(context).ConfigureAwait(false) as JsonObject
        ?? throw new ClusterApiException(400, "BadRequest", "Object 'Kind' is missing in the request body");
}
