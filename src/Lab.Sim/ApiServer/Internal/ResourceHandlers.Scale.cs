using System.Globalization;
using System.Text.Json.Nodes;
using k8s.Models;
using Microsoft.AspNetCore.Http;
using OtelLab.Sim.Cluster;
using OtelLab.Sim.Cluster.Internal;

namespace OtelLab.Sim.ApiServer.Internal;

/// <summary>
/// The <c>/scale</c> subresource as an autoscaling/v1 <c>Scale</c>: GET, and PATCH/PUT of <c>spec.replicas</c>
/// (kubectl scale; kubectl pkg/scale/scale.go). upstream: kubernetes pkg/registry/apps/deployment/storage/storage.go ScaleREST.
/// </summary>
internal sealed partial class ResourceHandlers
{
    private async Task ScaleAsync(HttpContext context, ResourceKind kind, string? ns, string name)
    {
        var existing = cluster.GetStored(kind, ns, name);
        if (existing is not null && kind.IsCustom)
        {
            await CustomScaleAsync(context, kind, existing).ConfigureAwait(false);
            return;
        }

        if (existing is null || existing.Value is not (V1Deployment or V1ReplicaSet or V1StatefulSet))
        {
            await WriteStatusAsync(context, existing is null ? NotFound(kind, name)
                : StatusResponse.Failure(404, "NotFound", "the server could not find the requested resource")).ConfigureAwait(false);
            return;
        }

        if (context.Request.Method is "PATCH" or "PUT")
        {
            var current = Scale(existing);
            var body = await ReadBodyNodeAsync(context).ConfigureAwait(false);
            var desired = context.Request.Method == "PUT"
                ? body
                : (context.Request.ContentType ?? string.Empty).StartsWith("application/json-patch+json", StringComparison.Ordinal) && body is JsonArray ops
                    ? JsonPatch.Apply(current, ops)
                    : JsonPatch.Merge(current, body, strategic: false);
            var replicas = desired?["spec"]?["replicas"]?.GetValue<int>()
                ?? throw new ClusterApiException(422, "Invalid", $"Scale.autoscaling \"{name}\" is invalid: spec.replicas: Required value");
            cluster.Scale(kind.Kind, existing.Namespace!, name, replicas);
            existing = cluster.GetStored(kind, ns, name)!;
        }

        await WriteJsonAsync(context, Scale(existing)).ConfigureAwait(false);
    }

    private static JsonObject Scale(StoredObject o)
    {
        var (spec, status, selector) = o.Value switch
        {
            V1Deployment d => (d.Spec.Replicas ?? 1, d.Status?.Replicas ?? 0, d.Spec.Selector),
            V1ReplicaSet r => (r.Spec.Replicas ?? 1, r.Status?.Replicas ?? 0, r.Spec.Selector),
            V1StatefulSet s => (s.Spec.Replicas ?? 1, s.Status?.Replicas ?? 0, s.Spec.Selector),
            _ => (0, 0, (V1LabelSelector?)null),
        };
        return new JsonObject
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
            ["spec"] = new JsonObject { ["replicas"] = spec },
            ["status"] = new JsonObject
            {
                ["replicas"] = status,
                ["selector"] = selector is null ? string.Empty : LabelSelector.From(selector).ToString(),
            },
        };
    }
}
