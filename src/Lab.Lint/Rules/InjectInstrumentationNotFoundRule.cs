using OtelLab.Lint.Internal;

namespace OtelLab.Lint.Rules;

/// <summary>An inject annotation that resolves to no Instrumentation (missing, ambiguous, wrong namespace).</summary>
public sealed class InjectInstrumentationNotFoundRule : LintRule
{
    public override string Id => "inject-instrumentation-not-found";

    public override string Title => "Inject annotation names no usable Instrumentation";

    public override Severity Severity => Severity.Error;

    public override string Why =>
        "When the annotation resolves to no Instrumentation (none in the namespace, several for `true`, or a name that does not exist) " +
        "the webhook logs the error and admits the pod unmodified: no agent, no warning on the workload " +
        "(opentelemetry-operator pkg/instrumentation/podmutator.go; operator#4019, #3407).";

    public override IEnumerable<Finding> Check(LintContext context)
    {
        foreach (var t in InjectionTarget.From(context).Where(t => t.Instrumentation is null && t.Error is not null))
        {
            var key = $"instrumentation.opentelemetry.io/inject-{t.Language}";
            var onPod = t.Workload.Template.Metadata?.Annotations?.ContainsKey(key) == true;
            var location = onPod
                ? t.Workload.Manifest.LocationOf("spec", "template", "metadata", "annotations", key)
                : t.Workload.Manifest.Location;
            yield return Create(t.Workload.Manifest.Display, location,
                $"{t.Workload.Manifest.Display}: {key}: \"{t.Value}\" resolves to no Instrumentation ({t.Error}): its pods start without an agent",
                t.Value.Contains('/', StringComparison.Ordinal) || t.Value == "true"
                    ? $"create the Instrumentation it names, or set the annotation to \"<namespace>/<name>\" of an existing one"
                    : $"create Instrumentation \"{t.Value}\" in namespace {t.Workload.Namespace}, or use \"<namespace>/{t.Value}\" if it lives elsewhere",
                [$"{key} = \"{t.Value}\" ({(onPod ? "pod template" : "namespace")} annotation)", $"webhook: {t.Error}"]);
        }
    }
}
