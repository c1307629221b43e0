using System.Text;
using k8s.Models;

namespace OtelLab.Sim.Kubelet.Internal;

/// <summary>
/// Resolves an env <c>fieldRef</c> against a pod, as the kubelet does: kubelet_pods.go <c>podFieldSelectorRuntimeValue</c>,
/// pkg/api/v1/pod <c>ConvertDownwardAPIFieldLabel</c> and pkg/fieldpath <c>ExtractFieldPathAsString</c> / <c>FormatMap</c>.
/// </summary>
internal static class DownwardApi
{
    // upstream: ConvertDownwardAPIFieldLabel — the labels a v1 pod field selector accepts.
    private static readonly HashSet<string> SupportedLabels = new(StringComparer.Ordinal)
    {
        "metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid",
        "spec.nodeName", "spec.restartPolicy", "spec.serviceAccountName", "spec.schedulerName",
        "status.phase", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs",
    };

    /// <summary>The value, or an error text worded like the kubelet's.</summary>
    public static (string? Value, string? Error) Resolve(V1ObjectFieldSelector selector, V1Pod pod)
    {
        // The API server defaults fieldRef.apiVersion to "v1" when the pod is created; the webhook's patch leaves it empty.
        var version = string.IsNullOrEmpty(selector.ApiVersion) ? "v1" : selector.ApiVersion;
        if (version != "v1")
        {
            return (null, $"unsupported pod version: {version}");
        }

        var label = selector.FieldPath ?? string.Empty;
        if (SplitSubscript(label) is { } sub)
        {
            if (sub.Path is not ("metadata.annotations" or "metadata.labels"))
            {
                return (null, $"field label does not support subscript: {label}");
            }
        }
        else if (label == "spec.host")
        {
            label = "spec.nodeName";
        }
        else if (!SupportedLabels.Contains(label))
        {
            return (null, $"field label not supported: {label}");
        }

        var status = pod.Status;
        switch (label)
        {
            case "spec.nodeName":
                return (pod.Spec?.NodeName ?? string.Empty, null);
            case "spec.serviceAccountName":
                return (pod.Spec?.ServiceAccountName ?? string.Empty, null);
            case "status.hostIP":
                // upstream uses the kubelet's own node IP (getHostIPAnyWay); the sim records it as the pod's hostIP.
                return (status?.HostIP ?? string.Empty, null);
            case "status.hostIPs":
                return (string.Join(",", status?.HostIPs?.Select(i => i.Ip) ?? [status?.HostIP ?? string.Empty]), null);
            case "status.podIP":
                return (status?.PodIP ?? string.Empty, null);
            case "status.podIPs":
                return (string.Join(",", status?.PodIPs?.Select(i => i.Ip) ?? [status?.PodIP ?? string.Empty]), null);
        }

        return Extract(label, pod.Metadata ?? new V1ObjectMeta());
    }

    // upstream: fieldpath.ExtractFieldPathAsString.
    private static (string? Value, string? Error) Extract(string fieldPath, V1ObjectMeta meta)
    {
        if (SplitSubscript(fieldPath) is { } sub)
        {
            var map = sub.Path == "metadata.annotations" ? meta.Annotations : meta.Labels;
            return (map?.TryGetValue(sub.Key, out var v) == true ? v : string.Empty, null);
        }

        return fieldPath switch
        {
            "metadata.annotations" => (FormatMap(meta.Annotations), null),
            "metadata.labels" => (FormatMap(meta.Labels), null),
            "metadata.name" => (meta.Name ?? string.Empty, null),
            "metadata.namespace" => (meta.NamespaceProperty ?? string.Empty, null),
            "metadata.uid" => (meta.Uid ?? string.Empty, null),
            _ => (null, $"unsupported fieldPath: {fieldPath}"),
        };
    }

    // upstream: fieldpath.SplitMaybeSubscriptedPath — "metadata.labels['app']" → ("metadata.labels", "app").
    private static (string Path, string Key)? SplitSubscript(string fieldPath)
    {
        if (!fieldPath.EndsWith("']", StringComparison.Ordinal))
        {
            return null;
        }

        var s = fieldPath[..^2];
        var open = s.IndexOf("['", StringComparison.Ordinal);
        return open <= 0 ? null : (s[..open], s[(open + 2)..]);
    }

    // upstream: fieldpath.FormatMap — sorted `key="value"` lines (Go %q quoting).
    private static string FormatMap(IDictionary<string, string>? map)
    {
        if (map is null || map.Count == 0)
        {
            return string.Empty;
        }

        var sb = new StringBuilder();
        foreach (var key in map.Keys.Order(StringComparer.Ordinal))
        {
            if (sb.Length > 0)
            {
                sb.Append('\n');
            }

            sb.Append(key).Append('=').Append(Quote(map[key]));
        }

        return sb.ToString();
    }

    private static string Quote(string value)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in value)
        {
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                '\r' => "\\r",
                _ when char.IsControl(c) => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            });
        }

        return sb.Append('"').ToString();
    }
}
