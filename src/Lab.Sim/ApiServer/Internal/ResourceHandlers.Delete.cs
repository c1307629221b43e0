using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using OtelLab.Sim.Cluster;

namespace OtelLab.Sim.ApiServer.Internal;

/// <summary>The DeleteOptions of a DELETE: propagationPolicy from the body (kubectl) or the query, orphanDependents as the old form of Orphan.</summary>
internal sealed partial class ResourceHandlers
{
    private static async Task<PropagationPolicy> PropagationAsync(HttpContext context)
    {
        var policy = context.Request.Query["propagationPolicy"].ToString();
        var orphan = context.Request.Query["orphanDependents"].ToString();
        if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            var body = await ReadBodyNodeAsync(context).ConfigureAwait(false) as JsonObject;
            policy = (string?)body?["propagationPolicy"] ?? policy;
            orphan = body?["orphanDependents"]?.ToJsonString() ?? orphan;
        }

        return policy switch
        {
            "Foreground" => PropagationPolicy.Foreground,
            "Orphan" => PropagationPolicy.Orphan,
            "Background" or "" when orphan == "true" && policy.Length == 0 => PropagationPolicy.Orphan,
            "Background" or "" => PropagationPolicy.Background,
            // upstream: apimachinery validation ValidateDeleteOptions — the three policies only.
            _ => throw new StatusException(StatusResponse.Failure(422, "Invalid",
                $"DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Unsupported value: \"{policy}\": supported values: \"Foreground\", \"Background\", \"Orphan\", \"nil\"")),
        };
    }
}
