using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using OtelLab.Sim.ApiServer.Internal.Admission;
using OtelLab.Sim.Cluster;

namespace OtelLab.Sim.ApiServer.Internal;

/// <summary>Schema admission of custom resource bodies (see <see cref="CustomResourceAdmission"/>) on every write.</summary>
internal sealed partial class ResourceHandlers
{
    /// <summary>Prunes, defaults and validates a CR body in place; unknown-field warnings go out as <c>Warning</c> headers.</summary>
    private void AdmitCustom(HttpContext context, ResourceKind kind, string? ns, JsonObject body)
    {
        if (!kind.IsCustom)
        {
            return;
        }

        if (HasStatusSubresource(kind))
        {
            // upstream: customresource/strategy.go — with a status subresource, create drops .status and a
            // main-resource update keeps the stored one (PrepareForCreate, PrepareForUpdate).
            var name = (string?)body["metadata"]?["name"];
            var stored = name is null ? null : cluster.GetStored(kind, (string?)body["metadata"]?["namespace"] ?? ns ?? "default", name);
            var status = stored is null ? null : cluster.DocumentOf(stored.Value)?["status"];
            body.Remove("status");
            if (status is not null)
            {
                body["status"] = status.DeepClone();
            }
        }

        foreach (var warning in CustomResourceAdmission.Admit(cluster, kind, body, context.Request.Query["fieldValidation"]))
        {
            AddWarning(context, warning);
        }
    }

    private bool HasStatusSubresource(ResourceKind kind) =>
        cluster.Options.CustomResourceDefinitions
            .FirstOrDefault(c => c.Spec.Group == kind.Group && c.Spec.Names.Plural == kind.Resource)?
            .Spec.Versions.FirstOrDefault(v => v.Name == kind.Version)?.Subresources?.Status is not null;

    // upstream: warnings travel as `Warning: 299 - "<text>"` headers (apimachinery pkg/util/net/http.go NewWarningHeader).
    private static void AddWarning(HttpContext context, string warning) =>
        context.Response.Headers.Append("Warning", $"299 - \"{warning.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"");
}
