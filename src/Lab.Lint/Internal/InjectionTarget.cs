using k8s.Models;
using OtelLab.Model.Crds;

namespace OtelLab.Lint.Internal;

/// <summary>
/// A workload whose pods the webhook would instrument, and with which Instrumentation, resolved as upstream does
/// (upstream: operator pkg/instrumentation/podmutator.go and annotation.go — pod vs namespace precedence; true / name / ns/name).
/// </summary>
internal sealed record InjectionTarget(PodWorkload Workload, string Language, Instrumentation? Instrumentation, string Value, string? Error)
{
    private const string Prefix = "instrumentation.opentelemetry.io/inject-";

    public static IEnumerable<InjectionTarget> From(LintContext context)
    {
        var instrumentations = context.Manifests.Typed<Instrumentation>().Select(x => x.Model).ToList();
        // The same Namespace in several files (several folders linted together) is applied twice: the last one wins.
        var namespaces = new Dictionary<string, IDictionary<string, string>?>(StringComparer.Ordinal);
        foreach (var (manifest, model) in context.Manifests.Typed<V1Namespace>())
        {
            namespaces[manifest.Name] = model.Metadata?.Annotations;
        }

        foreach (var w in context.Workloads)
        {
            var podAnnotations = w.Template.Metadata?.Annotations ?? new Dictionary<string, string>();
            namespaces.TryGetValue(w.Namespace, out var nsAnnotations);
            foreach (var language in new[] { "java", "nodejs", "python", "dotnet", "go", "sdk", "apache-httpd", "nginx" })
            {
                var value = InstrumentationSelection.EffectiveValue(podAnnotations, nsAnnotations, Prefix + language);
                if (!InstrumentationSelection.Requests(value))
                {
                    continue;
                }

                var (found, error) = InstrumentationSelection.Select(value, w.Namespace, instrumentations);
                yield return new InjectionTarget(w, language, found, value, error);
            }
        }
    }
}
