using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using OtelLab.Sim.ApiServer.Internal.Admission;
using OtelLab.Sim.Cluster;

namespace OtelLab.Sim.ApiServer.Internal;

/// <summary>Schema admission of custom resource bodies (see <see cref="CustomResourceAdmission"/>) on every write.</summary>
internal sealed partial class ResourceHandlers
{
    /// <summary>Prunes, defaults and validates a CR body in place; unknown-field warnings go out as <c>Warning</c> headers.</summary>
    private void AdmitCustom(HttpContext context, ResourceKind kind, JsonObject body)
    {
        foreach (var warning in CustomResourceAdmission.Admit(cluster, kind, body, context.Request.Query["fieldValidation"]))
        {
            AddWarning(context, warning);
        }
    }

    // upstream: warnings travel as `Warning: 299 - "<text>"` headers (apimachinery pkg/util/net/http.go NewWarningHeader).
    private static void AddWarning(HttpContext context, string warning) =>
        context.Response.Headers.Append("Warning", $"299 - \"{warning.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"");
}
