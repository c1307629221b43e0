using System.Globalization;
using System.Text.Json.Nodes;
using k8s.Models;
using Microsoft.AspNetCore.Http;
using OtelLab.Sim.Cluster;
using OtelLab.Sim.Cluster.Internal;

namespace OtelLab.Sim.ApiServer.Internal;

/// <summary>
/// <c>/status</c> writes (only <c>.status</c> changes; upstream registry strategies' PrepareForUpdate for the status
/// subresource, apiextensions-apiserver pkg/registry/customresource/status_strategy.go) and the <c>/scale</c> of custom
/// resources through their CRD's <c>subresources.scale</c> paths (customresource/registry.go ScaleREST).
/// </summary>
internal sealed partial class ResourceHandlers
{
    private async Task StatusAsync(HttpContext context, ResourceKind kind, string? ns, string name)
    {
        var existing = cluster.GetStored(kind, ns, name);
        if (existing is null)
        {
            await WriteStatusAsync(context, NotFound(kind, name)).ConfigureAwait(false);
            return;
        }

        var live = ObjectJson.Render(existing, cluster);
        var desired = await DesiredAsync(context, live).ConfigureAwait(false);

        // Everything but .status is kept as stored; a stale resourceVersion in a PUT is still a conflict.
        var rv = (string?)desired["metadata"]?["resourceVersion"];
        if (context.Request.Method == "PUT" && !string.IsNullOrEmpty(rv) && rv != existing.Metadata.ResourceVersion)
        {
            throw new ClusterApiException(409, "Conflict",
                $"Operation cannot be fulfilled on {kind.QualifiedResource} \"{name}\": the object has been modified; please apply your changes to the latest version and try again");
        }

        var result = (JsonObject)live.DeepClone();
        result["status"] = desired["status"]?.DeepClone();
        if (JsonNode.DeepEquals(result, live))
        {
            await WriteJsonAsync(context, live).ConfigureAwait(false);
            return;
        }

        result["metadata"]!["resourceVersion"] = null;
        if (kind.IsCustom)
        {
            var (model, meta) = Decode(kind, result, existing.Namespace);
            var written = cluster.WriteStatus(kind, model, meta);
            Remember(kind, written, result);
        }
        else
        {
            var value = ObjectModel.Deserialize(kind.Model, result.ToJsonString());
            cluster.WriteStatus(kind, value, null);
        }

        await WriteJsonAsync(context, ObjectJson.Render(cluster.GetStored(kind, existing.Namespace, name)!, cluster)).ConfigureAwait(false);
    }

    /// <summary>The object a PUT sends, or the live one with a PATCH (JSON, merge or strategic) applied.</summary>
    private static async Task<JsonObject> DesiredAsync(HttpContext context, JsonObject live)
    {
        var body = await ReadBodyNodeAsync(context).ConfigureAwait(false);
        if (context.Request.Method == "PUT")
        {
            return body as JsonObject ?? throw new ClusterApiException(400, "BadRequest", "Object 'Kind' is missing in the request body");
        }

        var contentType = context.Request.ContentType ?? string.Empty;
        var patched = contentType.StartsWith("application/json-patch+json", StringComparison.Ordinal) && body is JsonArray ops
            ? JsonPatch.Apply(live.DeepClone(), ops)
            : JsonPatch.Merge(live.DeepClone(), body, strategic: contentType.StartsWith("application/strategic-merge-patch+json", StringComparison.Ordinal));
        return patched as JsonObject ?? throw new ClusterApiException(400, "BadRequest", "the patch does not produce an object");
    }

    /// <summary>The Scale of a custom resource, read and written through the CRD's specReplicasPath, statusReplicasPath and labelSelectorPath.</summary>
    private async Task CustomScaleAsync(HttpContext context, ResourceKind kind, StoredObject existing)
    {
        var scale = CustomScalePaths(kind);
        if (scale is null)
        {
            await WriteStatusAsync(context, StatusResponse.Failure(404, "NotFound", "the server could not find the requested resource")).ConfigureAwait(false);
            return;
        }

        var live = ObjectJson.Render(existing, cluster);
        if (context.Request.Method is "PATCH" or "PUT")
        {
            var desired = await DesiredAsync(context, CustomScale(existing, live, scale)).ConfigureAwait(false);
            var replicas = desired["spec"]?["replicas"];
            if (replicas is null)
            {
                throw new ClusterApiException(422, "Invalid", $"Scale.autoscaling \"{existing.Name}\" is invalid: spec.replicas: Required value");
            }

            var result = (JsonObject)live.DeepClone();
            Set(result, scale.SpecReplicasPath, replicas.DeepClone());
            if (!JsonNode.DeepEquals(result, live))
            {
                result["metadata"]!["resourceVersion"] = null;
                AdmitCustom(context, kind, existing.Namespace, result);
                TrackUpdate(context, kind, live, result);
                var (model, meta) = Decode(kind, result, existing.Namespace);
                var updated = cluster.Update(kind, model, meta);
                Remember(kind, updated, result);
            }

            existing = cluster.GetStored(kind, existing.Namespace, existing.Name)!;
            live = ObjectJson.Render(existing, cluster);
        }

        await WriteJsonAsync(context, CustomScale(existing, live, scale)).ConfigureAwait(false);
    }

    private V1CustomResourceSubresourceScale? CustomScalePaths(ResourceKind kind) =>
        cluster.Options.CustomResourceDefinitions
            .FirstOrDefault(c => c.Spec.Group == kind.Group && c.Spec.Names.Plural == kind.Resource)?
            .Spec.Versions.FirstOrDefault(v => v.Name == kind.Version)?.Subresources?.Scale;

    private static JsonObject CustomScale(StoredObject o, JsonObject live, V1CustomResourceSubresourceScale scale) => new()
    {
        ["kind"] = "Scale",
        ["apiVersion"] = "autoscaling/v1",
        ["metadata"] = new JsonObject
        {
            ["name"] = o.Name,
            ["namespace"] = o.Namespace,
            ["uid"] = o.Metadata.Uid,
            ["resourceVersion"] = o.Metadata.ResourceVersion,
            ["creationTimestamp"] = o.Metadata.CreationTimestamp?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        },
        ["spec"] = new JsonObject { ["replicas"] = At(live, scale.SpecReplicasPath)?.DeepClone() ?? 0 },
        ["status"] = new JsonObject
        {
            ["replicas"] = At(live, scale.StatusReplicasPath)?.DeepClone() ?? 0,
            ["selector"] = scale.LabelSelectorPath is { } selector ? At(live, selector)?.DeepClone() ?? string.Empty : string.Empty,
        },
    };

    /// <summary>A value at a simple JSON path such as <c>.spec.replicas</c> (the form CRD scale paths take).</summary>
    private static JsonNode? At(JsonNode node, string path)
    {
        JsonNode? current = node;
        foreach (var part in path.TrimStart('.').Split('.'))
        {
            current = (current as JsonObject)?[part];
        }

        return current;
    }

    private static void Set(JsonObject node, string path, JsonNode? value)
    {
        var parts = path.TrimStart('.').Split('.');
        var current = node;
        foreach (var part in parts[..^1])
        {
            if (current[part] is not JsonObject next)
            {
                next = new JsonObject();
                current[part] = next;
            }

            current = next;
        }

        current[parts[^1]] = value;
    }
}
