using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using k8s.Models;
using OtelLab.Sim.Cluster;

namespace OtelLab.Sim.ApiServer.Internal.Admission;

/// <summary>
/// What the API server does with a custom resource's body before it is stored: unknown fields pruned, refused with
/// <c>fieldValidation=Strict</c> (kubectl's default) or reported as warnings with <c>Warn</c>; schema defaults
/// applied; then validation against the CRD version's <c>openAPIV3Schema</c>, refused as <c>422 Invalid</c>.
/// upstream: apiextensions-apiserver pkg/apiserver/customresource_handler.go (unstructuredSchemaCoercer, strict
/// decoding), pkg/registry/customresource/strategy.go (Validate → errors.NewInvalid).
/// </summary>
internal static class CustomResourceAdmission
{
    private static readonly ConditionalWeakTable<V1JSONSchemaProps, StructuralSchema> Schemas = new();

    /// <summary>Prunes, defaults and validates <paramref name="body"/> in place; returns the warnings for the response.</summary>
    /// <param name="fieldValidation">The request's <c>fieldValidation</c>: Strict, Warn (the server's default) or Ignore.</param>
    public static IReadOnlyList<string> Admit(SimulatedCluster cluster, ResourceKind kind, JsonObject body, string? fieldValidation)
    {
        if (!kind.IsCustom || SchemaFor(cluster, kind) is not { } schema)
        {
            return [];
        }

        var warnings = new List<string>();
        var unknown = schema.Prune(body);
        if (unknown.Count > 0)
        {
            var found = unknown.Select(p => $"unknown field {FieldError.GoQuote(p)}").ToList();
            switch (fieldValidation)
            {
                case "Strict":
                    // upstream: apiserver handlers/rest.go transformDecodeError + runtime.NewStrictDecodingError.
                    throw new StatusException(StatusResponse.Failure(400, "BadRequest",
                        $"{kind.Kind} in version \"{kind.Version}\" cannot be handled as a {kind.Kind}: strict decoding error: {string.Join(", ", found)}"));
                case "Ignore":
                    break;
                default:
                    warnings.AddRange(found);
                    break;
            }
        }

        schema.Default(body);
        var errors = schema.Validate(body);
        if (errors.Count > 0)
        {
            throw new StatusException(Invalid(kind, (string?)body["metadata"]?["name"] ?? string.Empty, errors));
        }

        return warnings;
    }

    /// <summary>
    /// upstream: apimachinery pkg/api/errors/errors.go NewInvalid — details.kind is the Kind (not the resource), one
    /// cause per error, and the message aggregates them (utilerrors.NewAggregate: one error alone, several in brackets).
    /// </summary>
    public static JsonObject Invalid(ResourceKind kind, string name, IReadOnlyList<FieldError> errors)
    {
        var messages = errors.Select(e => e.Message).Distinct().ToList();
        var aggregate = messages.Count == 1 ? messages[0] : $"[{string.Join(", ", messages)}]";
        var qualified = kind.Group.Length == 0 ? kind.Kind : $"{kind.Kind}.{kind.Group}";
        var details = new JsonObject { ["name"] = name };
        if (kind.Group.Length > 0)
        {
            details["group"] = kind.Group;
        }

        details["kind"] = kind.Kind;
        details["causes"] = new JsonArray([.. errors.Select(e => (JsonNode)new JsonObject { ["reason"] = e.Reason, ["message"] = e.Body, ["field"] = e.Field })]);
        return new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = $"{qualified} \"{name}\" is invalid: {aggregate}",
            ["reason"] = "Invalid",
            ["details"] = details,
            ["code"] = 422,
        };
    }

    /// <summary>The structural schema of <paramref name="kind"/>'s version in the installed CRD, or null without one.</summary>
    public static StructuralSchema? SchemaFor(SimulatedCluster cluster, ResourceKind kind)
    {
        var crd = cluster.Options.CustomResourceDefinitions.FirstOrDefault(c => c.Spec.Group == kind.Group && c.Spec.Names.Plural == kind.Resource);
        var props = crd?.Spec.Versions.FirstOrDefault(v => v.Name == kind.Version)?.Schema?.OpenAPIV3Schema;
        return props is null ? null : Schemas.GetValue(props, _ => new StructuralSchema(CustomResourceSchemas.For(cluster, kind)!));
    }
}
