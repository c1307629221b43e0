using k8s.Models;
using OtelLab.Sim.Cluster;
using OtelLab.Sim.Cluster.Internal;

namespace OtelLab.Sim.ApiServer.Internal;

/// <summary>
/// <c>fieldSelector</c>: <c>field=value</c>, <c>field==value</c> and <c>field!=value</c> terms, ANDed, over the fields
/// each resource exposes — <c>metadata.name</c> and <c>metadata.namespace</c> for every kind
/// (apiserver pkg/registry/generic/matcher.go ObjectMetaFieldsSet), plus pods' <c>spec.nodeName</c>,
/// <c>spec.serviceAccountName</c>, <c>status.phase</c>, <c>status.podIP</c> (kubernetes pkg/registry/core/pod/strategy.go
/// ToSelectableFields), events' <c>involvedObject.*</c> and <c>reason</c>/<c>type</c> (pkg/registry/core/event/strategy.go),
/// secrets' <c>type</c>.
/// </summary>
internal sealed class FieldSelector
{
    private readonly List<(string Field, string Value, bool Equal)> _terms;

    private FieldSelector(List<(string, string, bool)> terms) => _terms = terms;

    /// <summary>Parses a selector; throws <see cref="ClusterApiException"/> (400) as the API server refuses an unknown field.</summary>
    public static FieldSelector Parse(string? text, ResourceKind kind)
    {
        var terms = new List<(string, string, bool)>();
        foreach (var term in (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (field, value, equal) = term.Contains("!=", StringComparison.Ordinal) ? Split(term, "!=", false)
                : term.Contains("==", StringComparison.Ordinal) ? Split(term, "==", true)
                : term.Contains('=', StringComparison.Ordinal) ? Split(term, "=", true)
                : throw new ClusterApiException(400, "BadRequest", $"invalid selector: '{text}'; can't understand '{term}'");
            if (ReferenceEquals(Value(kind, field, null), Unsupported))
            {
                // upstream: apimachinery pkg/runtime/scheme.go ConvertFieldLabel → "field label not supported: <f>".
                throw new ClusterApiException(400, "BadRequest", $"field label not supported: {field}");
            }

            terms.Add((field, value, equal));
        }

        return new FieldSelector(terms);
    }

    public bool Matches(StoredObject o) =>
        _terms.All(t => (Value(o.Kind, t.Field, o) as string ?? string.Empty) == t.Value == t.Equal);

    private static (string, string, bool) Split(string term, string op, bool equal)
    {
        var i = term.IndexOf(op, StringComparison.Ordinal);
        return (term[..i].Trim(), term[(i + op.Length)..].Trim(), equal);
    }

    private static readonly object Unsupported = new();

    /// <summary>The field's value on <paramref name="o"/>, or <see cref="Unsupported"/> when the kind does not expose it (o may be null to check only).</summary>
    private static object? Value(ResourceKind kind, string field, StoredObject? o)
    {
        switch (field)
        {
            case "metadata.name":
                return o?.Name;
            case "metadata.namespace":
                return o?.Namespace;
        }

        return kind.Resource switch
        {
            "pods" => field switch
            {
                "spec.nodeName" => (o?.Value as V1Pod)?.Spec?.NodeName,
                "spec.serviceAccountName" => (o?.Value as V1Pod)?.Spec?.ServiceAccountName,
                "spec.restartPolicy" => (o?.Value as V1Pod)?.Spec?.RestartPolicy,
                "spec.schedulerName" => (o?.Value as V1Pod)?.Spec?.SchedulerName,
                "status.phase" => (o?.Value as V1Pod)?.Status?.Phase,
                "status.podIP" => (o?.Value as V1Pod)?.Status?.PodIP,
                "status.nominatedNodeName" => (o?.Value as V1Pod)?.Status?.NominatedNodeName,
                _ => Unsupported,
            },
            "events" => field switch
            {
                "involvedObject.kind" => (o?.Value as Corev1Event)?.InvolvedObject?.Kind,
                "involvedObject.namespace" => (o?.Value as Corev1Event)?.InvolvedObject?.NamespaceProperty,
                "involvedObject.name" => (o?.Value as Corev1Event)?.InvolvedObject?.Name,
                "involvedObject.uid" => (o?.Value as Corev1Event)?.InvolvedObject?.Uid,
                "involvedObject.apiVersion" => (o?.Value as Corev1Event)?.InvolvedObject?.ApiVersion,
                "involvedObject.resourceVersion" => (o?.Value as Corev1Event)?.InvolvedObject?.ResourceVersion,
                "involvedObject.fieldPath" => (o?.Value as Corev1Event)?.InvolvedObject?.FieldPath,
                "reason" => (o?.Value as Corev1Event)?.Reason,
                "reportingComponent" => (o?.Value as Corev1Event)?.ReportingComponent,
                "source" => (o?.Value as Corev1Event)?.Source?.Component,
                "type" => (o?.Value as Corev1Event)?.Type,
                _ => Unsupported,
            },
            "secrets" => field == "type" ? (o?.Value as V1Secret)?.Type : Unsupported,
            "namespaces" => field == "status.phase" ? (o?.Value as V1Namespace)?.Status?.Phase ?? "Active" : Unsupported,
            _ => Unsupported,
        };
    }
}
