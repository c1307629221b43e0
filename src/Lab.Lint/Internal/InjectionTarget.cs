using k8s.Models;
using OtelLab.Model.Crds;

namespace OtelLab.Lint.Internal;

/// <summary>
/// A workload whose pods the webhook would instrument, and with which Instrumentation, resolved as upstream does
/// (shared/reference/operator.md §5: pod vs namespace precedence; true / name / ns/name).
/// </summary>
internal sealed record InjectionTarget(PodWorkload Workload, string Language, Instrumentation? Instrumentation, string Value, string? Error)
{
    private const string Prefix = "instrumentation.opentelemetry.io/inject-";

    public static IEnumerable<InjectionTarget> From(LintContext context)
    {
        var instrumentations = context.Manifests.Typed<Instrumentation>().Select(x => x.Model).ToList();
        var namespaces = context.Manifests.Typed<V1Namespace>().ToDictionary(x => x.Manifest.Name, x => x.Model.Metadata?.Annotations);
        foreach (var w in context.Workloads)
        {
            var podAnnotations = w.Template.Metadata?.Annotations ?? new Dictionary<string, string>();
            namespaces.TryGetValue(w.Namespace, out var nsAnnotations);
            foreach (var language in new[] { "java", "nodejs", "python", "dotnet", "go", "sdk", "apache-httpd", "nginx" })
            {
                podAnnotations.TryGetValue(Prefix + language, out var pod);
                string? ns = null;
                nsAnnotations?.TryGetValue(Prefix + language, out ns);
                var value = Effective(pod, ns);
                if (string.IsNullOrEmpty(value) || value == "false")
                {
                    continue;
                }

                var (found, error) = Resolve(value, w.Namespace, instrumentations);
                yield return new InjectionTarget(w, language, found, value, error);
            }
        }
    }

    // upstream: internal/webhook/podmutation — annotationValue(ns, pod).
    private static string? Effective(string? pod, string? ns)
    {
        if (string.IsNullOrEmpty(ns))
        {
            return pod;
        }

        if (string.IsNullOrEmpty(pod))
        {
            return ns;
        }

        if (!string.Equals(pod, "true", StringComparison.OrdinalIgnoreCase))
        {
            return pod;
        }

        return string.Equals(ns, "false", StringComparison.OrdinalIgnoreCase) ? "true" : ns;
    }

    private static (Instrumentation?, string?) Resolve(string value, string podNamespace, List<Instrumentation> all)
    {
        if (string.Equals(value, "true", StringComparison.OrdinalIgnoreCase))
        {
            var inNs = all.Where(i => i.Namespace == podNamespace).ToList();
            return inNs.Count switch
            {
                0 => (null, "no OpenTelemetry Instrumentation instances available"),
                1 => (inNs[0], null),
                _ => (null, "multiple OpenTelemetry Instrumentation instances available, cannot determine which one to select"),
            };
        }

        var slash = value.IndexOf('/', StringComparison.Ordinal);
        var (ns, name) = slash < 0 ? (podNamespace, value) : (value[..slash], value[(slash + 1)..]);
        var match = all.FirstOrDefault(i => i.Namespace == ns && i.Name == name);
        return match is null
            ? (null, $"Instrumentation.opentelemetry.io \"{name}\" not found")
            : (match, null);
    }
}
