using System.Globalization;
using System.Text.Json.Nodes;
using OtelLab.Model.Crds;
using OtelLab.Model.Manifests;

namespace OtelLab.Sim.ArgoCd.Internal;

/// <summary>
/// An Application as the API serves it (<c>argoproj.io/v1alpha1</c>, argo-cd manifests/crds/application-crd.yaml):
/// its spec read back into the lab's model, and <see cref="ApplicationStatus"/> written as the CRD's <c>status</c>
/// (argo-cd pkg/apis/application/v1alpha1/types.go ApplicationStatus; empty fields omitted as Go's omitempty does).
/// </summary>
internal static class ApplicationDocument
{
    public const string ApiVersion = "argoproj.io/v1alpha1";

    public const string Kind = "Application";

    /// <summary>The spec and finalizers of a served Application, through the same reader the manifests use.</summary>
    public static ArgoApplication Read(JsonObject live, string ns)
    {
        var set = ManifestLoader.LoadText($"Application {ns}/{(string?)live["metadata"]?["name"]}", live.ToJsonString(), ns);
        return set.Objects is [{ Typed: ArgoApplication app }]
            ? app
            : throw new InvalidOperationException(string.Join("; ", set.Errors.Select(e => e.ToString())));
    }

    /// <summary>What decides whether a served Application changed: its spec and finalizers.</summary>
    public static string SpecKey(JsonObject live) => (live["spec"]?.ToJsonString() ?? string.Empty) + "|" + (live["metadata"]?["finalizers"]?.ToJsonString() ?? string.Empty);

    public static JsonObject Status(ApplicationStatus status, RenderedSource? target)
    {
        var sync = new JsonObject { ["status"] = status.SyncStatus };
        if (status.Revision is { } revision)
        {
            sync["revision"] = revision;
        }

        var o = new JsonObject
        {
            ["sync"] = sync,
            ["health"] = new JsonObject { ["status"] = status.Health.ToString() },

            // v3.0+: per-resource health lives in the resource tree, not in status.resources (--persist-resource-health=false).
            ["resourceHealthSource"] = "appTree",
        };
        if (status.ReconciledAt is { } reconciled)
        {
            o["reconciledAt"] = Time(reconciled);
        }

        if (status.Conditions.Count > 0)
        {
            o["conditions"] = new JsonArray([.. status.Conditions.Select(c => (JsonNode)new JsonObject { ["type"] = c.Type, ["message"] = c.Message })]);
        }

        if (status.Resources.Count > 0)
        {
            o["resources"] = new JsonArray([.. status.Resources.Select(r => (JsonNode)Resource(r.Group, VersionOf(target, r.Kind, r.Group), r.Kind, r.Namespace, r.Name, new JsonObject
            {
                ["status"] = r.Status,
                ["syncWave"] = r.SyncWave,
            }, r.RequiresPruning))]);
        }

        if (status.OperationState is { } op)
        {
            var operationState = new JsonObject
            {
                ["operation"] = new JsonObject
                {
                    ["sync"] = new JsonObject { ["revision"] = op.Revision },
                    ["initiatedBy"] = new JsonObject { ["automated"] = true },
                },
                ["phase"] = op.Phase,
                ["message"] = op.Message,
                ["startedAt"] = Time(op.StartedAt),
                ["syncResult"] = new JsonObject
                {
                    ["revision"] = op.Revision,
                    ["resources"] = new JsonArray([.. op.Resources.Select(r => (JsonNode)Resource(GroupOf(target, r.Kind), VersionOf(target, r.Kind, GroupOf(target, r.Kind)), r.Kind, r.Namespace ?? string.Empty, r.Name, new JsonObject
                    {
                        ["status"] = r.Status,
                        ["message"] = r.Message,
                        ["syncPhase"] = "Sync",
                    }, requiresPruning: false, resultFields: true))]),
                },
            };
            if (op.Phase != "Running")
            {
                operationState["finishedAt"] = Time(op.FinishedAt);
            }

            o["operationState"] = operationState;
        }

        return o;
    }

    // upstream: types.go ResourceStatus has group/namespace omitempty, but ResourceResult (syncResult.resources[]) has
    // them without omitempty, and the CRD requires group, kind, name, namespace and version there: "" for core kinds.
    private static JsonObject Resource(string group, string version, string kind, string? ns, string name, JsonObject rest, bool requiresPruning, bool resultFields = false)
    {
        var o = new JsonObject();
        if (group.Length > 0 || resultFields)
        {
            o["group"] = group;
        }

        o["version"] = version;
        o["kind"] = kind;
        if (ns is { Length: > 0 } || resultFields)
        {
            o["namespace"] = ns ?? string.Empty;
        }

        o["name"] = name;
        foreach (var (key, value) in rest)
        {
            o[key] = value?.DeepClone();
        }

        if (requiresPruning)
        {
            o["requiresPruning"] = true;
        }

        return o;
    }

    private static string GroupOf(RenderedSource? target, string kind) =>
        target?.Objects.FirstOrDefault(t => t.Kind == kind)?.Group ?? string.Empty;

    private static string VersionOf(RenderedSource? target, string kind, string group)
    {
        var apiVersion = target?.Objects.FirstOrDefault(t => t.Kind == kind && t.Group == group)?.ApiVersion ?? "v1";
        return apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[(apiVersion.IndexOf('/', StringComparison.Ordinal) + 1)..] : apiVersion;
    }

    // metav1.Time: RFC 3339 in UTC, whole seconds.
    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
